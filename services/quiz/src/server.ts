import {
  callerFromProto,
  decodeCursor,
  forbidden,
  implement,
  invalid,
  isDomainError,
  notFound,
  objectIdFrom,
  pageOf,
  pageSize,
  type Caller,
  type Logger,
  type Metrics,
  type ServiceRegistration,
  unavailable,
} from '@testmancer/shared';
import { quizV1, type commonV1 } from '@testmancer/proto';
import { ObjectId } from 'mongodb';
import type { Courses } from './courses';
import {
  assertCourseEditable,
  canAuthor,
  checkQuizVersion,
  createQuiz,
  isAdmin,
  locate,
  scoreAttempt,
  studentView,
  updateQuiz,
  type CourseOutline,
  type QuizLocation,
  type QuizState,
  type QuizTrigger,
} from './domain';
import { owedBy, type GrantDelivery, type GrantDispatcher } from './grants';
import { attemptMessage, gemsStatusOf, questionFromProto, quizMessage, quizViewMessage, triggerFromProto } from './messages';
import type { QuizMetrics } from './metrics';
import type { AttemptStore } from './store/attempts';
import type { Quizzes } from './store/quizzes';
import type { Submissions } from './submissions';

export interface QuizDependencies {
  quizzes: Quizzes;
  attempts: AttemptStore;
  submissions: Submissions;
  courses: Courses;
  delivery: GrantDelivery;
  dispatcher: GrantDispatcher;
  /** How long a submit waits for the gems service before answering PENDING. */
  grantDeliveryTimeoutMs: number;
  quizMetrics: QuizMetrics;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

/** Versioned writes retry a lost compare-and-set this often when the caller sent no expected version. */
const MAX_WRITE_ROUNDS = 5;
const MAX_REQUEST_ID = 200;

type SignedIn = Extract<Caller, { kind: 'user' }>;

function signedIn(wire: commonV1.Caller | undefined): SignedIn {
  const caller = callerFromProto(wire);
  if (caller.kind !== 'user') throw forbidden('sign in first');
  return caller;
}

const hexId = (value: string, field: string): string => objectIdFrom(value, field).toHexString();

/** An update's trigger: unset leaves it; set, it must be a trigger (UNSPECIFIED is refused, not ignored). */
function movedTrigger(trigger: quizV1.QuizTrigger | undefined): QuizTrigger | undefined {
  if (trigger === undefined) return undefined;
  const moved = triggerFromProto(trigger);
  if (!moved) throw invalid('invalid quiz', [{ path: 'trigger', message: 'must be one of: unit, page' }]);
  return moved;
}

/** gRPC wiring: decode, check access against the course the content service shows the caller, call the domain and the stores, encode. */
export function quizService(deps: QuizDependencies): ServiceRegistration {
  const now = deps.now ?? (() => new Date());
  const newId = () => new ObjectId().toHexString();

  async function loadQuiz(id: string): Promise<QuizState> {
    const quiz = await deps.quizzes.get(hexId(id, 'id'));
    if (!quiz) throw notFound('quiz');
    return quiz;
  }

  /**
   * The course for authoring: not visible is `what` not found, visible but
   * not the caller's to author is forbidden. Admins see every course, so a
   * course an admin cannot get is gone: for reads (and deletes) its quizzes
   * are orphans the admin may still handle (undefined is returned).
   */
  async function authoredCourse(wire: commonV1.Caller | undefined, caller: SignedIn, courseId: string, what: string, courseMayBeGone: boolean) {
    const course = await deps.courses.get(wire, courseId);
    if (!course) {
      if (courseMayBeGone && isAdmin(caller)) return undefined;
      throw notFound(what);
    }
    if (!canAuthor(caller, course)) throw forbidden('only authors of the course may do this');
    return course;
  }

  async function authoredCourseForWrite(wire: commonV1.Caller | undefined, caller: SignedIn, courseId: string, what: string): Promise<CourseOutline> {
    const course = await authoredCourse(wire, caller, courseId, what, false);
    if (!course) throw notFound(what);
    return course;
  }

  /** The quiz as a student may see it: its course visible to the caller and the quiz not orphaned. */
  async function visibleQuiz(wire: commonV1.Caller | undefined, id: string): Promise<{ quiz: QuizState; location: QuizLocation }> {
    const quiz = await loadQuiz(id);
    const location = locate(quiz, await deps.courses.get(wire, quiz.courseId));
    if (location.orphaned) throw notFound('quiz');
    return { quiz, location };
  }

  /** ListQuizzes and ListQuizViews: filter in the store, locate against the courses, drop what the audience must not see, page. */
  async function listLocated(request: quizV1.ListQuizzesRequest, audience: 'author' | 'student') {
    const author = audience === 'author' ? signedIn(request.caller) : undefined;
    if (!request.courseId && !request.unitId) {
      throw invalid('courseId or unitId is required', [{ path: 'courseId', message: 'courseId or unitId is required' }]);
    }
    if (request.pageOrder !== undefined && !request.unitId) {
      throw invalid('pageOrder needs unitId', [{ path: 'pageOrder', message: 'needs unitId' }]);
    }
    const size = pageSize(request.limit);
    const after = decodeCursor(request.cursor);
    const courseId = request.courseId ? hexId(request.courseId, 'courseId') : undefined;
    const unitId = request.unitId ? hexId(request.unitId, 'unitId') : undefined;
    const trigger = request.pageOrder !== undefined ? 'page' : triggerFromProto(request.trigger);
    const quizzes = await deps.quizzes.list({ courseId, unitId, trigger }, after);

    // Usually one course: the one asked for, or the unit's. Quizzes marked orphaned are orphans whatever
    // their course (locate), and a migrated orphan may name a course that does not exist beside a unit
    // id of a course that does: looking that course up would fail the whole list.
    const courseIds = [...new Set([...(courseId ? [courseId] : []), ...quizzes.filter((q) => !q.markedOrphaned).map((q) => q.courseId)])];
    const courses = new Map(
      await Promise.all(
        courseIds.map(async (id) => {
          if (author) return [id, await authoredCourse(request.caller, author, id, 'course', true)] as const;
          const course = await deps.courses.get(request.caller, id);
          if (!course) throw notFound('course');
          return [id, course] as const;
        }),
      ),
    );
    const shown = quizzes
      .map((quiz) => ({ quiz, location: locate(quiz, courses.get(quiz.courseId)), _id: new ObjectId(quiz.id) }))
      .filter(({ location }) => !location.orphaned || (author && request.includeOrphaned))
      .filter(({ location }) => request.pageOrder === undefined || location.pageOrder === request.pageOrder);
    return pageOf(shown, size);
  }

  return {
    name: 'testmancer.quiz.v1.QuizService',
    definition: quizV1.QuizServiceService,
    implementation: implement(
      quizV1.QuizServiceService,
      {
        async createQuiz(request) {
          const caller = signedIn(request.caller);
          const course = await authoredCourseForWrite(request.caller, caller, hexId(request.courseId, 'courseId'), 'course');
          const quiz = createQuiz(
            course,
            {
              id: newId(),
              createdBy: caller.userId,
              now: now(),
              title: request.title,
              questions: request.questions.map(questionFromProto),
              gemReward: request.gemReward,
              trigger: triggerFromProto(request.trigger),
              unitId: request.unitId,
              pageOrder: request.pageOrder,
            },
            newId,
          );
          await deps.quizzes.insert(quiz);
          return { quiz: quizMessage(quiz, locate(quiz, course)) };
        },

        async updateQuiz(request) {
          const caller = signedIn(request.caller);
          for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
            const quiz = await loadQuiz(request.id);
            const course = await authoredCourseForWrite(request.caller, caller, quiz.courseId, 'quiz');
            checkQuizVersion(quiz, request.expectedVersion);
            const updated = updateQuiz(
              quiz,
              course,
              {
                title: request.title,
                questions: request.questions?.questions.map(questionFromProto),
                gemReward: request.gemReward,
                trigger: movedTrigger(request.trigger),
                unitId: request.unitId,
                pageOrder: request.pageOrder,
              },
              newId,
              now(),
            );
            if (updated === quiz || (await deps.quizzes.replace(updated, quiz.version))) {
              return { quiz: quizMessage(updated, locate(updated, course)) };
            }
          }
          throw unavailable('the quiz is changing too often; retry');
        },

        async deleteQuiz(request) {
          const caller = signedIn(request.caller);
          for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
            const quiz = await loadQuiz(request.id);
            const course = await authoredCourse(request.caller, caller, quiz.courseId, 'quiz', true);
            if (course) assertCourseEditable(course);
            checkQuizVersion(quiz, request.expectedVersion);
            if (await deps.quizzes.delete(quiz.id, quiz.version)) return {};
          }
          throw unavailable('the quiz is changing too often; retry');
        },

        async getQuiz(request) {
          const caller = signedIn(request.caller);
          const quiz = await loadQuiz(request.id);
          const course = await authoredCourse(request.caller, caller, quiz.courseId, 'quiz', true);
          return { quiz: quizMessage(quiz, locate(quiz, course)) };
        },

        async getQuizView(request) {
          const { quiz, location } = await visibleQuiz(request.caller, request.id);
          return { quiz: quizViewMessage(studentView(quiz, location)) };
        },

        async listQuizzes(request) {
          const page = await listLocated(request, 'author');
          return { items: page.items.map(({ quiz, location }) => quizMessage(quiz, location)), nextCursor: page.nextCursor };
        },

        async listQuizViews(request) {
          const page = await listLocated({ ...request, includeOrphaned: false }, 'student');
          return { items: page.items.map(({ quiz, location }) => quizViewMessage(studentView(quiz, location))), nextCursor: page.nextCursor };
        },

        async submitAttempt(request) {
          const stopTimer = deps.quizMetrics.submissionDuration.startTimer();
          try {
            return { attempt: await submit(request) };
          } catch (error) {
            if (isDomainError(error) && error.kind === 'invalid') deps.quizMetrics.submissions.inc({ outcome: 'invalid' });
            throw error;
          } finally {
            stopTimer();
          }
        },

        async listAttempts(request) {
          const caller = signedIn(request.caller);
          if (!request.quizId && !request.courseId) {
            throw invalid('quizId or courseId is required', [{ path: 'quizId', message: 'quizId or courseId is required' }]);
          }
          const size = pageSize(request.limit);
          const after = decodeCursor(request.cursor);
          const userId = request.userId ? hexId(request.userId, 'userId') : hexId(caller.userId, 'caller');
          const quiz = request.quizId ? await loadQuiz(request.quizId) : undefined;
          const courseId = request.courseId ? hexId(request.courseId, 'courseId') : undefined;
          if (userId !== caller.userId.toLowerCase()) {
            // Another user's attempts: for authors of the course.
            await authoredCourseForWrite(request.caller, caller, quiz ? quiz.courseId : hexId(request.courseId, 'courseId'), quiz ? 'quiz' : 'course');
          }
          const rows = await deps.attempts.list({ userId, quizId: quiz?.id, courseId }, after, size);
          const page = pageOf(rows.map((attempt) => ({ attempt, _id: new ObjectId(attempt.id) })), size);
          return { items: page.items.map(({ attempt }) => attemptMessage(attempt)), nextCursor: page.nextCursor };
        },
      },
      deps,
    ),
  };

  async function submit(request: quizV1.SubmitAttemptRequest): Promise<quizV1.Attempt> {
    const caller = signedIn(request.caller);
    const userId = hexId(caller.userId, 'caller');
    if (request.requestId.length > MAX_REQUEST_ID) {
      throw invalid('requestId is too long', [{ path: 'requestId', message: `must be at most ${String(MAX_REQUEST_ID)} characters` }]);
    }
    if (!Number.isInteger(request.timeTakenMs) || request.timeTakenMs < 0) {
      throw invalid('timeTakenMs is out of range', [{ path: 'timeTakenMs', message: 'must be 0 or more' }]);
    }
    const { quiz } = await visibleQuiz(request.caller, request.quizId);
    const score = scoreAttempt(quiz.questions, request.answers);
    const { attempt, replayed } = await deps.submissions.record(
      { id: newId(), quizId: quiz.id, courseId: quiz.courseId, userId, score, gemReward: quiz.gemReward, timeTakenMs: request.timeTakenMs, createdAt: now() },
      request.requestId,
    );
    if (replayed) return attemptMessage(attempt);
    deps.quizMetrics.submissions.inc({ outcome: attempt.attemptNumber === 1 ? 'first' : 'repeat' });

    const owed = owedBy(attempt);
    if (!owed) return attemptMessage(attempt);
    if (await deps.delivery.deliver(owed, deps.grantDeliveryTimeoutMs, 0)) return attemptMessage(attempt, quizV1.GemsStatus.GRANTED);
    deps.dispatcher.retryLater(owed);
    return attemptMessage(attempt, gemsStatusOf(attempt));
  }
}
