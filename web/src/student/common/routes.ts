/** The student interface's addresses, in one place so links and the Next button agree. */
export const routes = {
  catalogue: () => '/',
  gems: () => '/gems',
  course: (courseId: string) => `/courses/${courseId}`,
  page: (courseId: string, unitId: string, pageOrder: number) => `/courses/${courseId}/units/${unitId}/pages/${String(pageOrder)}`,
  quiz: (courseId: string, quizId: string) => `/courses/${courseId}/quizzes/${quizId}`,
  end: (courseId: string) => `/courses/${courseId}/end`,
};
