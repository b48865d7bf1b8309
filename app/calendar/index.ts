// Working-day arithmetic for review deadlines: the deadline is the end of the 5th working day after
// submission, in the territorial office's time zone.
import {
  addDays,
  calendarIsDraft,
  isWorkingDay,
  REGIONAL_CALENDARS,
  workingDaysAfter,
  workingDaysBetween,
} from "./production-calendar";
import { MOSCOW, dateTimeFormat, localDate, startOfLocalDay } from "./time-zones";

export {
  addDays,
  calendarIsDraft,
  REGIONAL_CALENDARS,
  isWorkingDay,
  workingDaysAfter,
  workingDaysBetween,
  dateTimeFormat,
  localDate,
  startOfLocalDay,
  MOSCOW,
};

export const REVIEW_WORKING_DAYS = 5;

/**
 * The instant the review of something submitted at `submittedAt` is due: the end of the 5th working day in the
 * office's time zone and its own calendar (federal days off plus its subject's, given the office code).
 */
export function reviewDeadline(
  submittedAt: Date,
  timeZone = MOSCOW,
  workingDays = REVIEW_WORKING_DAYS,
  office?: string | null,
): Date {
  const lastDay = workingDaysAfter(localDate(submittedAt, timeZone), workingDays, office);
  return new Date(startOfLocalDay(addDays(lastDay, 1), timeZone).getTime() - 1);
}
