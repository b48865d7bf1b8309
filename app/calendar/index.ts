// Working-day arithmetic for review deadlines: the deadline is the end of the 5th working day after
// submission, in the territorial office's time zone.
import { addDays, isWorkingDay, workingDaysAfter, workingDaysBetween } from "./production-calendar";
import { MOSCOW, dateTimeFormat, localDate, startOfLocalDay } from "./time-zones";

export {
  addDays,
  isWorkingDay,
  workingDaysAfter,
  workingDaysBetween,
  dateTimeFormat,
  localDate,
  startOfLocalDay,
  MOSCOW,
};

export const REVIEW_WORKING_DAYS = 5;

/** The instant the review of something submitted at `submittedAt` is due: end of the 5th working day. */
export function reviewDeadline(submittedAt: Date, timeZone = MOSCOW, workingDays = REVIEW_WORKING_DAYS): Date {
  const lastDay = workingDaysAfter(localDate(submittedAt, timeZone), workingDays);
  return new Date(startOfLocalDay(addDays(lastDay, 1), timeZone).getTime() - 1);
}
