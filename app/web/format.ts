// How dates and times are shown: ДД.ММ.ГГГГ, times in Moscow time unless an office's zone is given.
import { dateTimeFormat } from "../calendar/time-zones";

export const DEFAULT_TIME_ZONE = "Europe/Moscow";

export function formatDate(iso: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  return dateTimeFormat("ru-RU", { day: "2-digit", month: "2-digit", year: "numeric", timeZone }).format(new Date(iso));
}

export function formatDateTime(iso: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  return dateTimeFormat("ru-RU", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(iso));
}

export function formatTime(iso: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  return dateTimeFormat("ru-RU", { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

export function fullName(p: { surname: string; givenName: string; patronymic: string }): string {
  return [p.surname, p.givenName, p.patronymic].filter(Boolean).join(" ");
}
