import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCalendarDate } from './calendar-date.js';

test('isCalendarDate accepts real days only, in exactly YYYY-MM-DD', () => {
  for (const s of ['2025-08-25', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) assert.equal(isCalendarDate(s), true, s);
  for (const s of ['2025-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-01-00', '2025-8-25', '2025-08-25T00:00:00Z', ' 2025-08-25', '', '２０２５-08-25']) {
    assert.equal(isCalendarDate(s), false, s);
  }
});
