import type { QuizState } from '../../src/domain';
import type { QuizFilter, QuizStore } from '../../src/store/quizzes';
import { someTurns } from '@testmancer/testing';

/** The quizzes collection in memory, with MongoDB's guarantees: each call is one atomic single-document operation. */
export class MemoryQuizStore implements QuizStore {
  readonly quizzes = new Map<string, QuizState>();

  async insert(quiz: QuizState): Promise<void> {
    await someTurns();
    this.quizzes.set(quiz.id, quiz);
  }

  async get(id: string): Promise<QuizState | undefined> {
    await someTurns();
    return this.quizzes.get(id);
  }

  async list(filter: QuizFilter, after: string | undefined): Promise<QuizState[]> {
    await someTurns();
    return [...this.quizzes.values()]
      .filter(
        (q) =>
          (!filter.courseId || q.courseId === filter.courseId) &&
          (!filter.unitId || q.unitId === filter.unitId) &&
          (!filter.trigger || q.trigger === filter.trigger),
      )
      .filter((q) => after === undefined || q.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async replace(quiz: QuizState, fromVersion: number): Promise<boolean> {
    await someTurns();
    if (this.quizzes.get(quiz.id)?.version !== fromVersion) return false;
    this.quizzes.set(quiz.id, quiz);
    return true;
  }

  async delete(id: string, version: number): Promise<boolean> {
    await someTurns();
    if (this.quizzes.get(id)?.version !== version) return false;
    return this.quizzes.delete(id);
  }
}
