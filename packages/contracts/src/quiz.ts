// Owned by the quiz service: question types and limits (filled in by the quiz-shape work).
export {};
