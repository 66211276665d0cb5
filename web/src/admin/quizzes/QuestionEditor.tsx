import { Button, Checkbox, Group, NativeSelect, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { QUESTION_TYPES, type DraftQuestion, type QuestionType } from './questions';

function OptionsEditor({
  question,
  number,
  onChange,
}: {
  question: DraftQuestion;
  number: number;
  onChange: (question: DraftQuestion) => void;
}) {
  const multiple = question.type === 'multiple';
  const setOption = (index: number, value: string) =>
    onChange({ ...question, options: question.options.map((option, at) => (at === index ? value : option)) });
  const toggle = (index: number, checked: boolean) => {
    if (!multiple) return onChange({ ...question, correct: [index] });
    const others = question.correct.filter((at) => at !== index);
    onChange({ ...question, correct: checked ? [...others, index] : others });
  };
  const remove = (index: number) =>
    onChange({
      ...question,
      options: question.options.filter((_, at) => at !== index),
      // Indexes after the removed option move down by one.
      correct: question.correct.filter((at) => at !== index).map((at) => (at > index ? at - 1 : at)),
    });
  return (
    <Stack gap="xs" role="group" aria-label={`Options of question ${String(number)}`}>
      <Text size="sm">{multiple ? 'Options (tick every right one)' : 'Options (choose the right one)'}</Text>
      {question.options.map((option, index) => {
        const name = `option ${String(index + 1)} of question ${String(number)}`;
        const right = question.correct.includes(index);
        return (
          <Group key={index} align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={`Option ${String(index + 1)} of question ${String(number)}`}
              value={option}
              onChange={(event) => setOption(index, event.currentTarget.value)}
              style={{ flex: 1, minWidth: 180 }}
            />
            {multiple ? (
              <Checkbox
                label="Right"
                aria-label={`${name} is right`}
                checked={right}
                onChange={(event) => toggle(index, event.currentTarget.checked)}
                mb={8}
              />
            ) : (
              <Radio
                label="Right"
                aria-label={`${name} is right`}
                name={`right-answer-${question.key}`}
                checked={right}
                onChange={() => toggle(index, true)}
                mb={8}
              />
            )}
            <Button
              size="xs"
              variant="default"
              disabled={question.options.length <= 2}
              onClick={() => remove(index)}
              aria-label={`Remove ${name}`}
              mb={4}
            >
              Remove
            </Button>
          </Group>
        );
      })}
      <Group>
        <Button
          size="xs"
          variant="light"
          disabled={question.options.length >= 10}
          onClick={() => onChange({ ...question, options: [...question.options, ''] })}
        >
          Add an option to question {number}
        </Button>
      </Group>
    </Stack>
  );
}

/** One question of the quiz: its type, text, points and right answer. */
export function QuestionEditor({
  question,
  number,
  errors,
  onChange,
  onRemove,
}: {
  question: DraftQuestion;
  number: number;
  errors: string[];
  onChange: (question: DraftQuestion) => void;
  onRemove: () => void;
}) {
  const of = `of question ${String(number)}`;
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h5">
            Question {number}
          </Title>
          <Button size="xs" variant="outline" color="red.9" onClick={onRemove} aria-label={`Remove question ${String(number)}`}>
            Remove
          </Button>
        </Group>
        <NativeSelect
          label={`Type ${of}`}
          value={question.type}
          data={QUESTION_TYPES}
          onChange={(event) => {
            const type = event.currentTarget.value as QuestionType;
            // A single answer keeps only the first of several right ones.
            onChange({ ...question, type, correct: type === 'single' ? question.correct.slice(0, 1) : question.correct });
          }}
        />
        <TextInput
          label={`Text ${of}`}
          required
          value={question.prompt}
          onChange={(event) => onChange({ ...question, prompt: event.currentTarget.value })}
        />
        <TextInput
          label={`Points ${of}`}
          type="number"
          min={1}
          max={100}
          value={question.points}
          onChange={(event) => onChange({ ...question, points: event.currentTarget.value })}
          maw={160}
        />
        {(question.type === 'single' || question.type === 'multiple') && (
          <OptionsEditor question={question} number={number} onChange={onChange} />
        )}
        {question.type === 'trueFalse' && (
          <Radio.Group
            label={`The statement ${of} is`}
            value={question.isTrue ? 'true' : 'false'}
            onChange={(value) => onChange({ ...question, isTrue: value === 'true' })}
          >
            <Group mt="xs">
              <Radio value="true" label="True" />
              <Radio value="false" label="False" />
            </Group>
          </Radio.Group>
        )}
        {question.type === 'number' && (
          <Group wrap="wrap" align="flex-start">
            <TextInput
              label={`Right number ${of}`}
              type="number"
              step="any"
              value={question.number}
              onChange={(event) => onChange({ ...question, number: event.currentTarget.value })}
            />
            <TextInput
              label={`Tolerance ${of}`}
              description="How far from it an answer may be and still be right"
              type="number"
              step="any"
              min={0}
              value={question.tolerance}
              onChange={(event) => onChange({ ...question, tolerance: event.currentTarget.value })}
            />
          </Group>
        )}
        {errors.map((message) => (
          <Text key={message} c="red.8" size="sm">
            {message}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}
