/**
 * seed:legacy: a deterministic legacy database (../shared/contracts/legacy-data.md)
 * with every odd case the contract names, in realistic proportions. The same
 * --courses and --seed give the same documents, ids included.
 */
import { Double, Int32, ObjectId, type Db, type Document } from 'mongodb';
import { progressBar } from './context';

/** mulberry32: small, fast, deterministic. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    id: () => {
      const bytes = Buffer.alloc(12);
      for (let i = 0; i < 12; i += 4) bytes.writeUInt32BE(Math.floor(next() * 4294967296), i);
      return new ObjectId(bytes);
    },
  };
}

const CATEGORY_SPELLINGS = [
  ['Math', ' math ', 'MATH'],
  ['Science', 'science'],
  ['History'],
  ['Languages', ' languages'],
  ['Programming', 'programming '],
  ['Art'],
];
const ROLE_SPELLINGS = ['admin', ' Admin', 'subadmin', 'SubAdmin ', 'user', 'student', 'STUDENT', 'teacher', undefined];
const GEM_VALUES: unknown[] = ['15', '12.5', 12.5, -3, 'abc', null, undefined];

// A type, not an interface: Object.entries of it is [string, number][].
export type SeedCounts = {
  users: number;
  courses: number;
  quizzes: number;
  quizattempts: number;
  modules: number;
};

/** A legacy course's module: older courses have modules without an _id. */
interface LegacyModule extends Document {
  _id?: ObjectId;
}

interface LegacyQuiz extends Document {
  _id: ObjectId;
}

export async function seedLegacy(
  db: Db,
  { courses: courseCount, seed }: { courses: number; seed: number },
  progress = false,
): Promise<SeedCounts> {
  const r = random(seed);
  const base = Date.UTC(2019, 0, 1);
  const dateAt = (i: number) => new Date(base + i * 3_600_000);
  const userCount = Math.max(4, Math.ceil(courseCount / 5));
  const users: Document[] = [];
  const counts: SeedCounts = { users: 0, courses: 0, quizzes: 0, quizattempts: 0, modules: 0 };
  for (let i = 0; i < userCount; i++) {
    const roleRoll = r.next();
    const doc: Document = { _id: r.id(), email: `User${i}@Example.COM`, name: `User ${i}` };
    const role = i < 2 ? ['admin', 'subadmin'][i] : roleRoll < 0.7 ? r.pick(['user', 'student', 'STUDENT']) : r.pick(ROLE_SPELLINGS);
    if (role !== undefined) doc.role = role;
    if (r.chance(0.03)) doc.isAdmin = true;
    // eslint-disable-next-line no-dupe-else-if -- each r.chance() is a new draw, not the same condition
    else if (r.chance(0.03)) doc.isAdmin = false;
    if (typeof role === 'string' && role.trim().toLowerCase() === 'subadmin') {
      doc.permissions = r.chance(0.2)
        ? ['courses:*']
        : [`courses:${r.pick(r.pick(CATEGORY_SPELLINGS))}`, ...(r.chance(0.3) ? [' COURSES: Geography '] : [])];
    }
    const gemRoll = r.next();
    if (gemRoll < 0.6) doc.gems = r.int(0, 500);
    else if (gemRoll < 0.75) doc.gems = String(r.int(0, 500));
    else if (gemRoll < 0.95) {
      const odd = r.pick(GEM_VALUES);
      if (odd !== undefined) doc.gems = odd === 12.5 ? new Double(12.5) : odd;
    }
    doc.createdAt = dateAt(i);
    users.push(doc);
  }
  await db.collection('users').insertMany(users);
  counts.users = users.length;
  const userIds = users.map((u) => u._id as ObjectId);

  const bar = progressBar('seed courses', courseCount, progress);
  let courseBatch: Document[] = [];
  let quizBatch: Document[] = [];
  let attemptBatch: Document[] = [];
  const flush = async (force: boolean) => {
    if (courseBatch.length >= 1000 || (force && courseBatch.length)) {
      await db.collection('courses').insertMany(courseBatch, { ordered: false });
      bar.increment(courseBatch.length);
      courseBatch = [];
    }
    if (quizBatch.length >= 1000 || (force && quizBatch.length)) {
      await db.collection('quizzes').insertMany(quizBatch, { ordered: false });
      quizBatch = [];
    }
    if (attemptBatch.length >= 1000 || (force && attemptBatch.length)) {
      await db.collection('quizattempts').insertMany(attemptBatch, { ordered: false });
      attemptBatch = [];
    }
  };
  for (let c = 0; c < courseCount; c++) {
    const courseId = r.id();
    const createdAt = dateAt(c);
    const moduleCount = r.chance(0.04) ? 0 : r.int(1, 6);
    const orderStyle = r.next();
    const modules: LegacyModule[] = [];
    const lessonCounts: number[] = [];
    for (let m = 0; m < moduleCount; m++) {
      const module: LegacyModule = {};
      if (c % 4 !== 0 || r.chance(0.5)) module._id = r.id(); // older courses: modules without _id
      module.title = `Module ${m + 1} of course ${c}`;
      if (orderStyle < 0.6) module.order = new Int32(m + 1);
      else if (orderStyle < 0.7)
        module.order = new Int32(moduleCount - m); // reversed in the array
      else if (orderStyle < 0.8)
        module.order = new Int32(Math.floor(m / 2)); // duplicates
      else if (orderStyle < 0.88)
        module.order = new Int32(m * 10); // gaps
      else if (orderStyle < 0.93) module.order = new Double(m + 0.5);
      else if (r.chance(0.6)) module.order = new Int32(m + 1); // some missing
      const kind = r.next();
      let lessons = 0;
      if (kind < 0.35) module.content = `# ${module.title}\n\nBody of module ${m}.`;
      else if (kind < 0.85 || kind >= 0.95) {
        if (kind >= 0.95) module.content = `Intro of module ${m}.`; // both: content becomes page 1
        lessons = r.int(1, 4);
        module.lessons = Array.from({ length: lessons }, (_, k) => {
          const lesson: Document = { title: `Lesson ${k + 1}`, body: `Lesson ${k + 1} of module ${m}.` };
          if (r.chance(0.3))
            lesson.media = [
              {
                url: `https://cdn.example.com/${c}/${m}/${k}.png`,
                type: 'image',
                ...(r.chance(0.5) ? { publicId: `p${c}_${m}_${k}` } : {}),
              },
            ];
          if (r.chance(0.05)) lesson.media = [{ url: `https://cdn.example.com/${c}/${m}/${k}.mp4`, type: 'video' }];
          return lesson;
        });
      } // else: an empty module
      lessonCounts.push(lessons);
      modules.push(module);
    }
    counts.modules += modules.length;
    const course: Document = {
      _id: courseId,
      title: `Course ${c}`,
      ...(r.chance(0.8) ? { description: `About course ${c}` } : {}),
      category: r.pick(r.pick(CATEGORY_SPELLINGS)),
    };
    if (r.chance(0.9)) course.published = r.chance(0.7);
    if (!(moduleCount === 0 && r.chance(0.5))) course.modules = modules;
    if (r.chance(0.9)) course.createdBy = r.chance(0.9) ? r.pick(userIds) : r.id(); // some point to nobody
    course.createdAt = createdAt;
    course.updatedAt = new Date(createdAt.getTime() + 86_400_000);
    courseBatch.push(course);
    // Quizzes: about one per course, with every kind of trigger and orphan.
    const quizzes = r.chance(0.6) ? 1 : r.chance(0.5) ? 2 : 0;
    for (let q = 0; q < quizzes; q++) {
      const quiz: LegacyQuiz = { _id: r.id(), courseId: r.chance(0.02) ? r.id() : courseId };
      const withId = modules.map((mod, i) => [mod, i] as const).filter(([mod]) => mod._id);
      const roll = r.next();
      let lessonsOfModule = 0;
      if (roll < 0.1 || withId.length === 0) {
        /* course-level */
      } else if (roll < 0.13)
        quiz.moduleId = r.id(); // orphan module
      else {
        const [mod, i] = r.pick(withId);
        quiz.moduleId = mod._id;
        lessonsOfModule = lessonCounts[i]!;
      }
      if (quiz.moduleId && r.chance(0.35))
        quiz.afterLesson = new Int32(r.chance(0.85) && lessonsOfModule > 0 ? r.int(0, lessonsOfModule - 1) : lessonsOfModule + r.int(0, 2));
      quiz.title = `Quiz ${q + 1} of course ${c}`;
      quiz.questions = Array.from({ length: r.int(1, 4) }, (_, k) => ({
        prompt: `Question ${k + 1}?`,
        options: ['a', 'b', 'c', 'd'],
        answer: r.chance(0.2) ? [0, 2] : r.int(0, 3),
        ...(r.chance(0.3) ? { points: r.int(1, 3) } : {}),
      }));
      if (r.chance(0.7)) quiz.gems = r.int(5, 50);
      quizBatch.push(quiz);
      counts.quizzes += 1;
      const attempts = r.chance(0.5) ? r.int(1, 3) : 0;
      const userId = r.chance(0.97) ? r.pick(userIds) : r.id();
      for (let a = 0; a < attempts; a++) {
        // Inserted out of date order: the first attempt is the earliest, not the first stored.
        attemptBatch.push({
          _id: r.id(),
          userId,
          quizId: quiz._id,
          score: r.int(0, 4),
          total: 4,
          createdAt: new Date(createdAt.getTime() + (attempts - a) * 60_000),
        });
        counts.quizattempts += 1;
      }
    }
    if (r.chance(0.01)) {
      attemptBatch.push({ _id: r.id(), userId: r.pick(userIds), quizId: r.id(), score: 1, total: 2, createdAt }); // attempt of no quiz
      counts.quizattempts += 1;
    }
    await flush(false);
  }
  await flush(true);
  bar.stop();
  counts.courses = courseCount;
  return counts;
}
