import { maySeeCourse, type Caller } from '@testmancer/shared';
import type { CourseDirectory } from '../../src/clients/courses';
import type { CourseOutline } from '../../src/domain';
import { someTurns } from '@testmancer/testing';

/** The content service's courses as GetCourse shows them: a course the caller may not see is not there for them. */
export class MemoryCourseDirectory implements CourseDirectory {
  readonly courses = new Map<string, CourseOutline>();
  reads = 0;

  constructor(...courses: CourseOutline[]) {
    for (const course of courses) this.courses.set(course.id, course);
  }

  async get(caller: Caller, courseId: string): Promise<CourseOutline | undefined> {
    await someTurns();
    this.reads += 1;
    const course = this.courses.get(courseId);
    return course && maySeeCourse(caller, course) ? course : undefined;
  }

  async courseOfUnit(caller: Caller, unitId: string): Promise<string | undefined> {
    await someTurns();
    const course = [...this.courses.values()].find((c) => c.units.some((unit) => unit.id === unitId));
    return course && maySeeCourse(caller, course) ? course.id : undefined;
  }
}
