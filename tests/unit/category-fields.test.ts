// The zod schema built from a category's field definitions (issue 19): every type, required or not.
import { describe, expect, it } from 'vitest';
import { fieldsText, parseFieldValues, storedFieldValues, type FieldDefinition } from '../../src/org/index.js';
import { ValidationError } from '../../src/web/errors.js';

const def = (id: number, type: FieldDefinition['type'], required = true, options: string[] = []): FieldDefinition => ({
  id,
  categoryId: 1,
  label: `Campo ${id}`,
  type,
  required,
  helpText: null,
  options,
  position: id,
});
const defs = [
  def(1, 'TEXT'),
  def(2, 'LONG_TEXT'),
  def(3, 'NUMBER'),
  def(4, 'DATE'),
  def(5, 'LIST', true, ['A', 'B']),
  def(6, 'YES_NO'),
];

function errorsOf(body: Record<string, string>): Record<string, string> {
  try {
    parseFieldValues(defs, body);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  return {};
}

describe('fields per category', () => {
  it('refuse a missing answer to each required field, whatever its type', () => {
    expect(Object.keys(errorsOf({})).sort()).toEqual(defs.map((d) => `campo_${d.id}`).sort());
    expect(Object.values(errorsOf({}))).toEqual(defs.map(() => 'validation.required'));
  });

  it('refuse answers of the wrong shape', () => {
    const fields = errorsOf({
      campo_1: 'ok',
      campo_2: 'ok',
      campo_3: '1e5',
      campo_4: '2026-02-30',
      campo_5: 'C',
      campo_6: 'quizá',
    });
    expect(fields).toEqual({
      campo_3: 'fields.errors.number',
      campo_4: 'forms.invalidDate',
      campo_5: 'forms.invalidChoice',
      campo_6: 'forms.invalidChoice',
    });
    expect(errorsOf({ campo_1: 'a\u0000b' }).campo_1).toBe('errors.controlCharacters');
  });

  it('keep each answer with its label and type, typed; blank optional answers are left out', () => {
    const values = parseFieldValues([...defs.slice(0, 5), def(6, 'YES_NO', false), def(7, 'TEXT', false)], {
      campo_1: ' EQ-1 ',
      campo_2: 'línea 1\nlínea 2',
      campo_3: '2,5',
      campo_4: '2026-11-30',
      campo_5: 'B',
      campo_6: 'no',
      campo_7: '  ',
    });
    expect(values.map((v) => v.value)).toEqual(['EQ-1', 'línea 1\nlínea 2', 2.5, '2026-11-30', 'B', false]);
    expect(values[0]).toEqual({ fieldId: 1, label: 'Campo 1', type: 'TEXT', value: 'EQ-1' });
    expect(fieldsText(values)).toBe('EQ-1 línea 1\nlínea 2 2.5 2026-11-30 B');
  });

  it('read stored answers of any age, leaving out what is not an answer', () => {
    expect(storedFieldValues(null)).toEqual([]);
    expect(storedFieldValues([{ label: 'X', type: 'TEXT', value: 'v' }, { nope: 1 }, 'x'])).toHaveLength(1);
  });
});
