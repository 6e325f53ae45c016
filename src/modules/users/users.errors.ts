import type { ErrorSpec } from '../../http/error-spec.ts';

/** The error codes of staff administration (users, their roles, status and passwords). */
export const USER_ERRORS = {
  USER_NOT_FOUND: {
    status: 404,
    uz: 'Xodim topilmadi',
    'uz-Cyrl': 'Ходим топилмади',
    ru: 'Пользователь не найден',
    en: 'No such user',
  },
  USER_OUT_OF_SCOPE: {
    status: 403,
    uz: "Bu xodimning vakolatingizdan tashqaridagi bo'linmalarda ham rollari bor; uni yuqoriroq administrator boshqaradi",
    'uz-Cyrl':
      'Бу ходимнинг ваколатингиздан ташқаридаги бўлинмаларда ҳам роллари бор; уни юқорироқ администратор бошқаради',
    ru: 'У пользователя есть роли в подразделениях вне вашей зоны доступа; им управляет вышестоящий администратор',
    en: 'This user holds roles at units outside your scope; an administrator above you manages them',
  },
  USER_PINFL_TAKEN: {
    status: 409,
    uz: '{pinfl} JShShIR boshqa xodimga biriktirilgan',
    'uz-Cyrl': '{pinfl} ЖШШИР бошқа ходимга бириктирилган',
    ru: 'ПИНФЛ {pinfl} уже указан у другого пользователя',
    en: 'PINFL {pinfl} belongs to another user',
  },
  USER_SELF_BLOCK: {
    status: 409,
    uz: "O'zingizni bloklay olmaysiz",
    'uz-Cyrl': 'Ўзингизни блоклай олмайсиз',
    ru: 'Нельзя заблокировать самого себя',
    en: 'You cannot block yourself',
  },
  USER_SELF_LAST_ADMIN: {
    status: 409,
    uz: "O'zingizdan oxirgi administrator rolini olib tashlay olmaysiz; buni boshqa administrator qiladi",
    'uz-Cyrl': 'Ўзингиздан охирги администратор ролини олиб ташлай олмайсиз; буни бошқа администратор қилади',
    ru: 'Нельзя снять с себя последнюю роль администратора; это может сделать другой администратор',
    en: 'You cannot remove your own last administrator role; another administrator can',
  },
  USER_SELF_PASSWORD_RESET: {
    status: 409,
    uz: "O'z parolingizni tiklay olmaysiz; buni boshqa administrator qiladi",
    'uz-Cyrl': 'Ўз паролингизни тиклай олмайсиз; буни бошқа администратор қилади',
    ru: 'Нельзя сбросить собственный пароль; это может сделать другой администратор',
    en: 'You cannot reset your own password; another administrator can',
  },
} as const satisfies Record<string, ErrorSpec>;
