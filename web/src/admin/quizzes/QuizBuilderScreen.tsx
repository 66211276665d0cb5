import { Alert, Button, Group, NativeSelect, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, call, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useSession } from '../../shared/session';
import { useTerms } from '../../shared/terms';
import { Loaded } from '../Loaded';
import { loadUnit } from '../units/UnitScreen';
import { useInScope } from '../scope';
import { useResource } from '../useResource';
import { QuestionEditor } from './QuestionEditor';
import { emptyQuestion, problemsOf, questionOf, type DraftQuestion } from './questions';
import { Trail } from '../Trail';

type Trigger = 'unit' | 'page';

function QuizForm({
  course,
  unit,
  initialPage,
}: {
  course: Schemas['Course'];
  unit: Schemas['UnitDetail'];
  initialPage: number | undefined;
}) {
  const navigate = useNavigate();
  const { unit: term } = useTerms();
  const pageQuizzes = useSession().session.flags.PAGE_QUIZZES_ENABLED;
  const canFollowPage = pageQuizzes && unit.pages.length > 0;
  const [trigger, setTrigger] = useState<Trigger>(canFollowPage && initialPage ? 'page' : 'unit');
  const [pageOrder, setPageOrder] = useState(String(initialPage ?? unit.pages[0]?.pageOrder ?? 1));
  const [title, setTitle] = useState('');
  const [gemReward, setGemReward] = useState('10');
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => [emptyQuestion()]);
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
    const body = {
      courseId: course.id,
      trigger,
      moduleId: unit.id,
      ...(trigger === 'page' ? { pageOrder: Number(pageOrder) } : {}),
      title,
      gemReward: Number(gemReward) || 0,
      questions: questions.map(questionOf),
    };
    call(api.POST('/api/quizzes', { body })).then(
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
        <Title order={1}>New quiz</Title>
        {pageQuizzes ? (
          <Radio.Group label="Show the quiz" value={trigger} onChange={(value) => setTrigger(value)} error={fields.trigger}>
            <Group mt="xs" wrap="wrap">
              <Radio value="unit" label={`After the whole ${term}`} />
              <Radio value="page" label="After a page" disabled={!canFollowPage} />
            </Group>
          </Radio.Group>
        ) : (
          <Alert color="blue" title="Page quizzes are off">
            Page quizzes are turned off for you, so this quiz will follow the whole {term}.
          </Alert>
        )}
        {pageQuizzes && unit.pages.length === 0 && (
          <Text size="sm">
            This {term} has no pages yet, so a quiz can only follow the whole {term}.
          </Text>
        )}
        {trigger === 'page' && (
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
        <ErrorAlert error={error} title="Could not create the quiz" />
        <Group>
          <Button type="submit" loading={pending}>
            Create quiz
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
