// The errors of Payme's Merchant API as hisob answers them, and the JSON-RPC answer envelope
// (developer.help.paycom.uz, "Ошибки (ERRORS)" and "Формат ответа"). docs/decisions/006-payme.md
// has the table of what each code means here.

/** A message in the three languages Payme shows to the payer. */
export type Localized = { ru: string; uz: string; en: string };

/**
 * Every error this endpoint answers. The −32xxx codes and −31001…−31008 are Payme's; −31050…−31099
 * are the merchant's own account errors (Payme shows their message to the payer; `data` names the
 * account field).
 */
export const PAYME_ERRORS = {
  METHOD_NOT_POST: {
    code: -32300,
    message: {
      ru: 'Метод запроса должен быть POST',
      uz: "So'rov usuli POST bo'lishi kerak",
      en: 'The request method must be POST',
    },
  },
  PARSE_ERROR: {
    code: -32700,
    message: { ru: 'Ошибка разбора JSON', uz: 'JSON tahlil qilinmadi', en: 'The request is not valid JSON' },
  },
  INVALID_REQUEST: {
    code: -32600,
    message: {
      ru: 'Нет обязательных полей RPC-запроса или их тип неверен',
      uz: "RPC so'rovda majburiy maydonlar yo'q yoki ularning turi noto'g'ri",
      en: 'Required fields of the RPC request are missing or of the wrong type',
    },
  },
  METHOD_NOT_FOUND: {
    code: -32601,
    message: { ru: 'Метод не найден', uz: 'Usul topilmadi', en: 'Method not found' },
  },
  INSUFFICIENT_PRIVILEGE: {
    code: -32504,
    message: {
      ru: 'Недостаточно привилегий для выполнения метода',
      uz: 'Usulni bajarish uchun huquq yetarli emas',
      en: 'Insufficient privileges to perform the method',
    },
  },
  SYSTEM_ERROR: {
    code: -32400,
    message: { ru: 'Системная ошибка', uz: 'Tizim xatosi', en: 'System error' },
  },
  WRONG_AMOUNT: {
    code: -31001,
    message: { ru: 'Неверная сумма', uz: "Noto'g'ri summa", en: 'Wrong amount' },
  },
  TRANSACTION_NOT_FOUND: {
    code: -31003,
    message: { ru: 'Транзакция не найдена', uz: 'Tranzaksiya topilmadi', en: 'Transaction not found' },
  },
  CANNOT_CANCEL: {
    code: -31007,
    message: {
      ru: 'Невозможно отменить транзакцию',
      uz: "Tranzaksiyani bekor qilib bo'lmaydi",
      en: 'The transaction cannot be cancelled',
    },
  },
  CANNOT_PERFORM: {
    code: -31008,
    message: {
      ru: 'Невозможно выполнить операцию',
      uz: "Amalni bajarib bo'lmaydi",
      en: 'The operation cannot be performed',
    },
  },
  ACCOUNT_NOT_FOUND: {
    code: -31050,
    message: {
      ru: 'Лицевой счёт не найден',
      uz: 'Shaxsiy hisob raqami topilmadi',
      en: 'Account not found',
    },
  },
  SUPPLIER_REQUIRED: {
    code: -31051,
    message: {
      ru: 'Такой лицевой счёт есть у нескольких поставщиков: укажите поставщика',
      uz: "Bu hisob raqami bir nechta ta'minotchida bor: ta'minotchini ko'rsating",
      en: 'This account number exists at several suppliers: name the supplier',
    },
  },
  INTENT_CLOSED: {
    code: -31052,
    message: {
      ru: 'Заказ на оплату уже оплачен, отменён или просрочен',
      uz: "To'lov buyurtmasi allaqachon to'langan, bekor qilingan yoki muddati o'tgan",
      en: 'The payment order is already paid, cancelled or expired',
    },
  },
  INTENT_NOT_FOUND: {
    code: -31053,
    message: {
      ru: 'Заказ на оплату не найден',
      uz: "To'lov buyurtmasi topilmadi",
      en: 'Payment order not found',
    },
  },
  INTENT_BUSY: {
    code: -31054,
    message: {
      ru: 'Этот заказ уже оплачивается другой транзакцией',
      uz: "Bu buyurtma boshqa tranzaksiya orqali to'lanmoqda",
      en: 'Another transaction is already paying this order',
    },
  },
} as const satisfies Record<string, { code: number; message: Localized }>;

/** The name of an error of PAYME_ERRORS. */
export type PaymeErrorName = keyof typeof PAYME_ERRORS;

/** A JSON-RPC request id as Payme sends it (an integer), or null when the request has none. */
export type RpcId = number | string | null;

/** An error as a method reports it: which one, and the field it concerns. */
export type PaymeFailure = { error: PaymeErrorName; data?: string };

/** What a method answers: a result object, or a failure. */
export type PaymeOutcome = { result: Record<string, unknown> } | PaymeFailure;

/** The body of every answer (always HTTP 200). */
export type PaymeAnswer =
  | { jsonrpc: '2.0'; id: RpcId; result: Record<string, unknown> }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: Localized; data: string | null } };

/** The answer of an outcome to request `id`. */
export function answerOf(id: RpcId, outcome: PaymeOutcome): PaymeAnswer {
  if ('result' in outcome) return { jsonrpc: '2.0', id, result: outcome.result };
  const e = PAYME_ERRORS[outcome.error];
  return { jsonrpc: '2.0', id, error: { code: e.code, message: e.message, data: outcome.data ?? null } };
}

/** A failure outcome. */
export function fail(error: PaymeErrorName, data?: string): PaymeFailure {
  return data === undefined ? { error } : { error, data };
}
