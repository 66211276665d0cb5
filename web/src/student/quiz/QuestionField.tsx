import { Checkbox, Fieldset, NumberInput, Radio, Stack, Text } from '@mantine/core';
import type { Answer, Question } from './answers';
import classes from './QuestionField.module.css';

const pointsOf = (question: Question) => `${String(question.points)} ${question.points === 1 ? 'point' : 'points'}`;

/**
 * One question as a form control: option questions are a fieldset whose legend is the prompt
 * (radio buttons for one answer, checkboxes for several), a number question a labelled input.
 */
export function QuestionField({
  question,
  number,
  answer,
  onAnswer,
}: {
  question: Question;
  number: number;
  answer: Answer | undefined;
  onAnswer: (answer: Answer) => void;
}) {
  const name = `question-${question.id}`;
  if (question.type === 'number')
    return (
      <Fieldset legend={`Question ${String(number)}`} classNames={{ legend: classes.legend }}>
        <NumberInput
          label={question.prompt}
          description={`Type a number · ${pointsOf(question)}`}
          value={typeof answer === 'string' ? answer : ''}
          onChange={(value) => onAnswer(String(value))}
          hideControls
          decimalSeparator="."
        />
      </Fieldset>
    );
  const several = question.type === 'multiple';
  const chosen = several ? (Array.isArray(answer) ? answer : []) : answer;
  return (
    <Fieldset legend={question.prompt} classNames={{ legend: classes.legend }}>
      <Stack gap="sm">
        <Text size="sm">
          Question {number} · {several ? 'Choose all that apply' : 'Choose one'} · {pointsOf(question)}
        </Text>
        {question.options.map((option, index) =>
          several ? (
            <Checkbox
              key={index}
              name={name}
              label={option}
              classNames={{ input: classes.control }}
              checked={Array.isArray(chosen) && chosen.includes(index)}
              onChange={(event) => {
                const others = (Array.isArray(chosen) ? chosen : []).filter((value) => value !== index);
                onAnswer(event.currentTarget.checked ? [...others, index] : others);
              }}
            />
          ) : (
            <Radio
              key={index}
              name={name}
              value={String(index)}
              label={option}
              classNames={{ radio: classes.control }}
              checked={chosen === index}
              onChange={() => onAnswer(index)}
            />
          ),
        )}
      </Stack>
    </Fieldset>
  );
}
