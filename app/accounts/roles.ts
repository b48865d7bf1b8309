// How the roles are named on the pages (shared by server and browser code).
export const ROLE_NAMES = {
  representative: "Уполномоченный представитель",
  operator: "Сотрудник территориального органа СФР",
  admin: "Администратор портала",
} as const;
