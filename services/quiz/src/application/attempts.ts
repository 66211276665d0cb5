/** Use cases of attempts: a student submits one (scored, numbered, its gems delivered), a user's attempts are listed. */
import { quiz as contract } from '@testmancer/contracts';
import {
  assertSignedIn,
  forbidden,
  idAfter,
  invalid,
  isAdmin,
  isDomainError,
  mayReadUserData,
  notFound,
  pageOf,
  pageSize,
  type Caller,
  type Page,
} from '@testmancer/shared';
import type { CourseDirectory } from '../clients/courses';
import {
  earnedGems,
  locate,
  NOT_ATTEMPTED,
  quizResults,
  scoreAttempt,
  studentView,
  type AttemptAnswer,
  type AttemptRecord,
  type QuizResult,
  type QuizView,
} from '../domain';
import type { QuizMetrics } from '../metrics';
import type { AttemptStore } from '../store/attempts';
import type { QuizStore } from '../store/quizzes';
import { hexId, QuizAccess } from './access';
import { owedBy, type GrantDelivery, type GrantDispatcher } from './grants';
import type { Submissions } from './submissions';

const MAX_REQUEST_ID = contract.LIMITS.requestId;

export interface AttemptSubmission {
  quizId: string;
  answers: readonly AttemptAnswer[];
  timeTakenMs: number;
  /** Empty: none; else a repeat with the same one answers the attempt recorded first. */
  requestId: string;
}

/** Where the gems of a submitted attempt are: delivered now, on their way, or whatever the attempt records. */
export interface SubmittedAttempt {
  readonly attempt: AttemptRecord;
  /** Delivered during this submit; false: as the attempt's grant says. */
  readonly deliveredNow: boolean;
}

export interface AttemptListQuery {
  quizId: string;
  courseId: string;
  /** Empty: the caller. */
  userId: string;
  limit: number;
  cursor: string;
}

/** A user's results at a course: per quiz students see (oldest first), and the gems earned at any of its quizzes. */
export interface CourseResults {
  readonly quizzes: readonly { readonly quiz: QuizView; readonly result: QuizResult }[];
  readonly earnedGems: number;
}

export interface AttemptDependencies {
  quizzes: QuizStore;
  attempts: AttemptStore;
  courses: CourseDirectory;
  submissions: Submissions;
  delivery: GrantDelivery;
  dispatcher: GrantDispatcher;
  /** How long a submit waits for the gems service before answering PENDING. */
  grantDeliveryTimeoutMs: number;
  quizMetrics: QuizMetrics;
  newId: () => string;
  now: () => Date;
}

export class AttemptUseCases {
  private readonly access: QuizAccess;

  constructor(private readonly deps: AttemptDependencies) {
    this.access = new QuizAccess(deps.quizzes, deps.courses);
  }

  async submit(caller: Caller, submission: AttemptSubmission): Promise<SubmittedAttempt> {
    const stopTimer = this.deps.quizMetrics.submissionDuration.startTimer();
    try {
      return await this.record(caller, submission);
    } catch (error) {
      if (isDomainError(error) && error.kind === 'invalid') this.deps.quizMetrics.submissions.inc({ outcome: 'invalid' });
      throw error;
    } finally {
      stopTimer();
    }
  }

  private async record(caller: Caller, submission: AttemptSubmission): Promise<SubmittedAttempt> {
    const student = assertSignedIn(caller);
    const userId = hexId(student.userId, 'caller');
    if (submission.requestId.length > MAX_REQUEST_ID) {
      throw invalid('requestId is too long', [{ path: 'requestId', message: `must be at most ${String(MAX_REQUEST_ID)} characters` }]);
    }
    if (!Number.isInteger(submission.timeTakenMs) || submission.timeTakenMs < 0) {
      throw invalid('timeTakenMs is out of range', [{ path: 'timeTakenMs', message: 'must be 0 or more' }]);
    }
    const { quiz } = await this.access.visibleQuiz(caller, submission.quizId);
    const score = scoreAttempt(quiz.questions, submission.answers);
    const { attempt, replayed } = await this.deps.submissions.record(
      {
        id: this.deps.newId(),
        quizId: quiz.id,
        courseId: quiz.courseId,
        userId,
        score,
        gemReward: quiz.gemReward,
        timeTakenMs: submission.timeTakenMs,
        createdAt: this.deps.now(),
      },
      submission.requestId,
    );
    if (replayed) return { attempt, deliveredNow: false };
    this.deps.quizMetrics.submissions.inc({ outcome: attempt.attemptNumber === 1 ? 'first' : 'repeat' });

    const owed = owedBy(attempt);
    if (!owed) return { attempt, deliveredNow: false };
    if (await this.deps.delivery.deliver(owed, this.deps.grantDeliveryTimeoutMs, 0)) return { attempt, deliveredNow: true };
    this.deps.dispatcher.retryLater(owed);
    return { attempt, deliveredNow: false };
  }

  /**
   * A user's attempts at a quiz or at every quiz of a course. A quiz's attempts are there only
   * while the quiz's course is visible to the caller, as the quiz is (admins see every course,
   * and the attempts of a quiz whose course is gone). Another user's are for the authors of the
   * course.
   */
  async list(caller: Caller, query: AttemptListQuery): Promise<Page<AttemptRecord>> {
    const reader = assertSignedIn(caller);
    if (!query.quizId && !query.courseId) {
      throw invalid('quizId or courseId is required', [{ path: 'quizId', message: 'quizId or courseId is required' }]);
    }
    const size = pageSize(query.limit);
    const after = idAfter(query.cursor);
    const userId = query.userId ? hexId(query.userId, 'userId') : hexId(reader.userId, 'caller');
    const quiz = query.quizId ? await this.access.quiz(query.quizId) : undefined;
    const courseId = query.courseId ? hexId(query.courseId, 'courseId') : undefined;
    if (userId !== reader.userId.toLowerCase()) {
      // Another user's attempts: for authors of the course.
      await this.access.courseToChange(reader, quiz ? quiz.courseId : (courseId ?? ''), quiz ? 'quiz' : 'course');
    } else if (quiz && !isAdmin(caller) && !(await this.deps.courses.get(caller, quiz.courseId))) {
      // Hidden with its course, as the quiz itself is: an empty list would tell that it exists.
      throw notFound('quiz');
    }
    const rows = await this.deps.attempts.list({ userId, quizId: quiz?.id, courseId }, after, size);
    return pageOf(rows, size, (attempt) => attempt.id);
  }

  /**
   * One read model of a course's quizzes and a user's attempts at them, so that a progress
   * request needs no other call to the quiz service. Own results, or another user's by the
   * shared rule (the course's authors, admins).
   */
  async courseResults(caller: Caller, query: { courseId: string; userId: string }): Promise<CourseResults> {
    const reader = assertSignedIn(caller);
    const courseId = hexId(query.courseId, 'courseId');
    const userId = query.userId ? hexId(query.userId, 'userId') : hexId(reader.userId, 'caller');
    const course = await this.deps.courses.get(caller, courseId);
    if (!course) throw notFound('course');
    if (!mayReadUserData(caller, userId, course)) throw forbidden("only the course's authors read another user's results");
    const [quizzes, attempts] = await Promise.all([
      this.deps.quizzes.list({ courseId }, undefined),
      this.deps.attempts.inCourse(userId, courseId),
    ]);
    const results = quizResults(attempts);
    const shown = quizzes.map((quiz) => ({ quiz, location: locate(quiz, course) })).filter(({ location }) => !location.orphaned);
    return {
      quizzes: shown.map(({ quiz, location }) => ({ quiz: studentView(quiz, location), result: results.get(quiz.id) ?? NOT_ATTEMPTED })),
      earnedGems: earnedGems(attempts),
    };
  }
}
