// The codes of Paynet's provider web service as hisob answers them, and the JSON-RPC answer
// envelope (UZPAYNET "Спецификация универсального WEB-сервиса поставщика услуг", JSON-RPC 2.0,
// §2.5 "Общие ошибки"). docs/decisions/010-paynet.md has the table of what each code means here.

/**
 * Every error this endpoint answers. The negative codes are JSON-RPC 2.0's own; the positive ones
 * are Paynet's business codes. The messages are Russian, the language of Paynet's specification
 * and of the operators who read them; `data` names the field concerned.
 */
export const PAYNET_ERRORS = {
  METHOD_NOT_POST: { code: -32300, message: 'Метод запроса должен быть POST' },
  PARSE_ERROR: { code: -32700, message: 'Ошибка разбора JSON' },
  INVALID_REQUEST: { code: -32600, message: 'Неверный JSON-RPC запрос' },
  METHOD_NOT_FOUND: { code: -32601, message: 'Метод не найден' },
  INVALID_PARAMS: { code: -32602, message: 'Неверный тип параметра' },
  SYSTEM_ERROR: { code: -32603, message: 'Системная ошибка' },
  TRANSACTION_EXISTS: { code: 201, message: 'Транзакция уже существует' },
  TRANSACTION_CANCELLED: { code: 202, message: 'Транзакция уже отменена' },
  TRANSACTION_NOT_FOUND: { code: 203, message: 'Транзакция не найдена' },
  CLIENT_NOT_FOUND: { code: 302, message: 'Клиент не найден' },
  SUPPLIER_REQUIRED: {
    code: 302,
    message: 'Клиент с таким номером есть у нескольких поставщиков: укажите поставщика',
  },
  PARAMETER_MISSING: { code: 411, message: 'Не задан один или несколько обязательных параметров' },
  WRONG_CREDENTIALS: { code: 412, message: 'Неверный логин или пароль' },
  WRONG_AMOUNT: { code: 413, message: 'Неверная сумма' },
  WRONG_DATE: { code: 414, message: 'Неверный формат даты и времени' },
} as const satisfies Record<string, { code: number; message: string }>;

/** The name of an error of PAYNET_ERRORS. */
export type PaynetErrorName = keyof typeof PAYNET_ERRORS;

/** A JSON-RPC request id as Paynet sends it (an integer), or null when the request has none. */
export type RpcId = number | string | null;

/** An error as a method reports it: which one, and the field it concerns. */
export type PaynetFailure = { error: PaynetErrorName; data?: string };

/** What a method answers: a result object, or a failure. */
export type PaynetOutcome = { result: Record<string, unknown> } | PaynetFailure;

/** The body of every answer. */
export type PaynetAnswer =
  | { jsonrpc: '2.0'; id: RpcId; result: Record<string, unknown> }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: string; data?: string } };

/** The answer of an outcome to request `id`. */
export function answerOf(id: RpcId, outcome: PaynetOutcome): PaynetAnswer {
  if ('result' in outcome) return { jsonrpc: '2.0', id, result: outcome.result };
  const e = PAYNET_ERRORS[outcome.error];
  const error = outcome.data === undefined ? { ...e } : { ...e, data: outcome.data };
  return { jsonrpc: '2.0', id, error };
}

/** A failure outcome. */
export function fail(error: PaynetErrorName, data?: string): PaynetFailure {
  return data === undefined ? { error } : { error, data };
}
