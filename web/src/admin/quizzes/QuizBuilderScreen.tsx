import { Alert, Button, Group, NativeSelect, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useSession } from '../../shared/session';
import { useTerms } from '../../shared/terms';
import { Loaded } from '../Loaded';
import { loadUnit } from '../units/UnitScreen';
import { useInScope, type InScope } from '../scope';
import { useResource } from '../../shared/useResource';
import { QuestionEditor } from './QuestionEditor';
import { draftOf, emptyQuestion, problemsOf, questionOf, type DraftQuestion } from './questions';
import { Trail } from '../Trail';

type Trigger = 'unit' | 'page';

/** The form of a new quiz, or of `existing` to change (its attempts keep the scores they were given). */
function QuizForm({
  course,
  unit,
  initialPage,
  existing,
}: {
  course: Schemas['Course'];
  unit: Schemas['UnitDetail'];
  initialPage: number | undefined;
  existing?: Schemas['Quiz'];
}) {
  const navigate = useNavigate();
  const { unit: term } = useTerms();
  const pageQuizzes = useSession().session.flags.PAGE_QUIZZES_ENABLED;
  const canFollowPage = pageQuizzes && unit.pages.length > 0;
  const [trigger, setTrigger] = useState<Trigger>(existing?.trigger ?? (canFollowPage && initialPage ? 'page' : 'unit'));
  const [pageOrder, setPageOrder] = useState(String(existing?.pageOrder ?? initialPage ?? unit.pages[0]?.pageOrder ?? 1));
  const [title, setTitle] = useState(existing?.title ?? '');
  const [gemReward, setGemReward] = useState(String(existing?.gemReward ?? 10));
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => existing?.questions.map(draftOf) ?? [emptyQuestion()]);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const unitPath = `/courses/${course.id}/units/${unit.id}`;
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  const errorsOf = (index: number) =>
    Object.entries(fields)
      .filter(([path]) => path === `questions/${String(index)}` || path.startsWith(`questions/${String(index)}/`))
      .map(([path, message]) => `${path.split('/').slice(2).join(' ') || 'question'}: ${message}`);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = problemsOf(questions);
    if (problems.length) {
      setError(new Error(problems.join('\n')));
      return;
    }
    setPending(true);
    setError(undefined);
    const place = { trigger, moduleId: unit.id, ...(trigger === 'page' ? { pageOrder: Number(pageOrder) } : {}) };
    const content = { title, gemReward: Number(gemReward) || 0, questions: questions.map(questionOf) };
    // Without page quizzes a page trigger is refused (400): a page quiz opened by its address keeps its place, unsent.
    const keepsItsPlace = existing?.trigger === 'page' && !pageQuizzes;
    const saved = existing
      ? api.PATCH('/api/quizzes/{quizId}', {
          params: { path: { quizId: existing.id } },
          headers: ifMatch(existing.version),
          body: keepsItsPlace ? content : { ...place, ...content },
        })
      : api.POST('/api/quizzes', { body: { courseId: course.id, ...place, ...content } });
    call(saved).then(
      () => void navigate(unitPath),
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack maw={860}>
        <Title order={1}>{existing ? `Edit quiz: ${existing.title}` : 'New quiz'}</Title>
        {existing && (
          <Text size="sm">Attempts already made keep their scores and the gems they earned; the changes apply to the next attempts.</Text>
        )}
        {pageQuizzes ? (
          <Radio.Group label="Show the quiz" value={trigger} onChange={(value) => setTrigger(value)} error={fields.trigger}>
            <Group mt="xs" wrap="wrap">
              <Radio value="unit" label={`After the whole ${term}`} />
              <Radio value="page" label="After a page" disabled={!canFollowPage} />
            </Group>
          </Radio.Group>
        ) : (
          <Alert color="blue" title="Page quizzes are off">
            {existing?.trigger === 'page'
              ? `Page quizzes are turned off for you: this quiz stays after page ${String(existing.pageOrder)}, and only its title, questions and gems can be changed here.`
              : `Page quizzes are turned off for you, so this quiz will follow the whole ${term}.`}
          </Alert>
        )}
        {pageQuizzes && unit.pages.length === 0 && (
          <Text size="sm">
            This {term} has no pages yet, so a quiz can only follow the whole {term}.
          </Text>
        )}
        {pageQuizzes && trigger === 'page' && (
          <NativeSelect
            label="Page the quiz follows"
            value={pageOrder}
            error={fields.pageOrder}
            onChange={(event) => setPageOrder(event.currentTarget.value)}
            data={unit.pages.map((page) => ({ value: String(page.pageOrder), label: `Page ${String(page.pageOrder)}: ${page.title}` }))}
          />
        )}
        <TextInput
          label="Quiz title"
          required
          value={title}
          error={fields.title}
          onChange={(event) => setTitle(event.currentTarget.value)}
        />
        <TextInput
          label="Gem reward"
          description="Gems for a first attempt with every answer right (fewer for fewer right answers)"
          type="number"
          min={0}
          max={10000}
          value={gemReward}
          error={fields.gemReward}
          onChange={(event) => setGemReward(event.currentTarget.value)}
          maw={260}
        />
        <section aria-labelledby="quiz-questions">
          <Title order={2} size="h3" id="quiz-questions" mb="xs">
            Questions
          </Title>
          <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Questions in order">
            {questions.map((question, index) => (
              <QuestionEditor
                key={question.key}
                question={question}
                number={index + 1}
                errors={errorsOf(index)}
                onChange={(changed) => setQuestions(questions.map((candidate) => (candidate.key === question.key ? changed : candidate)))}
                onRemove={() => setQuestions(questions.filter((candidate) => candidate.key !== question.key))}
              />
            ))}
          </Stack>
          <Button mt="sm" variant="light" onClick={() => setQuestions([...questions, emptyQuestion()])}>
            Add question
          </Button>
        </section>
        <ErrorAlert error={error} title={existing ? 'Could not save the quiz' : 'Could not create the quiz'} />
        <Group>
          <Button type="submit" loading={pending}>
            {existing ? 'Save quiz' : 'Create quiz'}
          </Button>
          <Button variant="default" component={Link} to={unitPath}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A new quiz of a unit, after the unit or after one of its pages (`?page=` preselects one). */
export function QuizBuilderScreen() {
  const { courseId = '', unitId = '' } = useParams();
  const [search] = useSearchParams();
  const { unit: term } = useTerms();
  const inScope = useInScope();
  const load = useCallback(() => loadUnit(courseId, unitId, inScope), [courseId, unitId, inScope]);
  const loaded = useResource(load);
  const page = Number(search.get('page')) || undefined;
  return (
    <Loaded resource={loaded} what={term}>
      {({ course, unit }) => (
        <Stack>
          <Trail
            steps={[
              { label: course.title, to: `/courses/${course.id}` },
              { label: unit.title, to: `/courses/${course.id}/units/${unit.id}` },
            ]}
          />
          <QuizForm
            course={course}
            unit={unit}
            initialPage={unit.pages.some((candidate) => candidate.pageOrder === page) ? page : undefined}
          />
        </Stack>
      )}
    </Loaded>
  );
}

/** The author view of a quiz, with its answers; an author who may not see them (not theirs) gets the student view: not found here. */
async function loadQuiz(courseId: string, unitId: string, quizId: string, inScope: InScope) {
  const [located, quiz] = await Promise.all([
    loadUnit(courseId, unitId, inScope),
    call(api.GET('/api/quizzes/{quizId}', { params: { path: { quizId } } })),
  ]);
  const authorView = (candidate: typeof quiz): candidate is Schemas['Quiz'] =>
    candidate.questions.every((question) => 'answer' in question);
  if (!authorView(quiz) || quiz.moduleId !== unitId) throw new ApiError(404, undefined);
  return { ...located, quiz };
}

/** A quiz of a unit, changed: its questions, trigger, title and gems. */
export function QuizEditScreen() {
  const { courseId = '', unitId = '', quizId = '' } = useParams();
  const inScope = useInScope();
  const load = useCallback(() => loadQuiz(courseId, unitId, quizId, inScope), [courseId, unitId, quizId, inScope]);
  const loaded = useResource(load);
  return (
    <Loaded resource={loaded} what="quiz">
      {({ course, unit, quiz }) => (
        <Stack>
          <Trail
            steps={[
              { label: course.title, to: `/courses/${course.id}` },
              { label: unit.title, to: `/courses/${course.id}/units/${unit.id}` },
            ]}
          />
          <QuizForm key={`${quiz.id}:${String(quiz.version)}`} course={course} unit={unit} initialPage={undefined} existing={quiz} />
        </Stack>
      )}
    </Loaded>
  );
}
