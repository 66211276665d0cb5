/** gRPC handlers: decode the request, call one use case, encode the answer. */
import { cursorAfter, invalid, registration, withinAnswerBytes, type ServiceRegistration } from '@testmancer/shared';
import { quizV1 } from '@testmancer/proto';
import type { AttemptUseCases } from '../application/attempts';
import type { QuizUseCases } from '../application/quizzes';
import type { QuizTrigger } from '../domain';
import {
  answerFromProto,
  attemptMessage,
  gemsStatusOf,
  quizResultMessage,
  questionFromProto,
  quizMessage,
  quizViewMessage,
  triggerFromProto,
} from './messages';

export interface QuizRpcDependencies {
  quizzes: QuizUseCases;
  attempts: AttemptUseCases;
}

/** An update's trigger: unset leaves it; set, it must be a trigger (UNSPECIFIED is refused, not ignored). */
function movedTrigger(trigger: quizV1.QuizTrigger | undefined): QuizTrigger | undefined {
  if (trigger === undefined) return undefined;
  const moved = triggerFromProto(trigger);
  if (!moved) throw invalid('invalid quiz', [{ path: 'trigger', message: 'must be one of: unit, page' }]);
  return moved;
}

/** A page of quizzes within an answer's size: cut short (with a cursor after the last one kept) when the quizzes are large. */
function boundedPage<T extends { id: string }>(items: T[], nextCursor: string, encodedLength: (item: T) => number) {
  const kept = withinAnswerBytes(items, encodedLength);
  return { items: kept.items, nextCursor: kept.cut ? cursorAfter(kept.items[kept.items.length - 1]!.id) : nextCursor };
}

const listQuery = (request: quizV1.ListQuizViewsRequest) => ({
  courseId: request.courseId,
  unitId: request.unitId,
  pageOrder: request.pageOrder,
  trigger: triggerFromProto(request.trigger),
  limit: request.limit,
  cursor: request.cursor,
});

export function quizService(deps: QuizRpcDependencies): ServiceRegistration {
  const { quizzes, attempts } = deps;
  return registration('testmancer.quiz.v1.QuizService', quizV1.QuizServiceService, {
    async createQuiz(request, context) {
      const { quiz, location } = await quizzes.create(context.caller, {
        courseId: request.courseId,
        title: request.title,
        questions: request.questions.map(questionFromProto),
        gemReward: request.gemReward,
        trigger: triggerFromProto(request.trigger),
        unitId: request.unitId,
        pageOrder: request.pageOrder,
      });
      return { quiz: quizMessage(quiz, location) };
    },

    async updateQuiz(request, context) {
      const { quiz, location } = await quizzes.update(context.caller, request.id, request.expectedVersion, {
        title: request.title,
        questions: request.questions?.questions.map(questionFromProto),
        gemReward: request.gemReward,
        trigger: movedTrigger(request.trigger),
        unitId: request.unitId,
        pageOrder: request.pageOrder,
      });
      return { quiz: quizMessage(quiz, location) };
    },

    async deleteQuiz(request, context) {
      await quizzes.delete(context.caller, request.id, request.expectedVersion);
      return {};
    },

    async getQuizView(request, context) {
      return { quiz: quizViewMessage(await quizzes.studentView(context.caller, request.id)) };
    },

    async getQuizForCaller(request, context) {
      const found = await quizzes.forCaller(context.caller, request.id);
      return {
        view:
          found.view === 'author'
            ? { $case: 'authorView', value: quizMessage(found.quiz, found.location) }
            : { $case: 'studentView', value: quizViewMessage(found.quiz) },
      };
    },

    async listQuizzes(request, context) {
      const page = await quizzes.list(context.caller, {
        ...listQuery(request),
        includeOrphaned: request.includeOrphaned,
      });
      return boundedPage(
        page.items.map(({ quiz, location }) => quizMessage(quiz, location)),
        page.nextCursor,
        (item) => quizV1.Quiz.encode(item).finish().length,
      );
    },

    async listQuizViews(request, context) {
      const page = await quizzes.listViews(context.caller, listQuery(request));
      return boundedPage(page.items.map(quizViewMessage), page.nextCursor, (item) => quizV1.QuizView.encode(item).finish().length);
    },

    async submitAttempt(request, context) {
      const { attempt, deliveredNow } = await attempts.submit(context.caller, {
        quizId: request.quizId,
        answers: request.answers.map(answerFromProto),
        timeTakenMs: request.timeTakenMs,
        requestId: request.requestId,
      });
      return { attempt: attemptMessage(attempt, deliveredNow ? quizV1.GemsStatus.GRANTED : gemsStatusOf(attempt)) };
    },

    async listAttempts(request, context) {
      const page = await attempts.list(context.caller, {
        quizId: request.quizId,
        courseId: request.courseId,
        userId: request.userId,
        limit: request.limit,
        cursor: request.cursor,
      });
      return { items: page.items.map((attempt) => attemptMessage(attempt)), nextCursor: page.nextCursor };
    },

    async getCourseResults(request, context) {
      const results = await attempts.courseResults(context.caller, {
        courseId: request.courseId,
        userId: request.userId,
      });
      return { quizzes: results.quizzes.map(({ quiz, result }) => quizResultMessage(quiz, result)), earnedGems: results.earnedGems };
    },
  });
}
