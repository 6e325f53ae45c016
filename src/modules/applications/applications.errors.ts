import type { ErrorSpec } from '../../http/error-spec.ts';

/**
 * The error codes of the office inbox of applications (assignment, approving a change of
 * requisites, refusing with a reason). The cabinet's codes (APPLICATION_TRANSITION, …) stay in the
 * core table.
 */
export const APPLICATION_ERRORS = {
  APPLICATION_VISIT_HOLIDAY: {
    status: 400,
    uz: '{date} — dam olish kuni ({name}): tashrifni ish kuniga belgilang',
    'uz-Cyrl': '{date} — дам олиш куни ({name}): ташрифни иш кунига белгиланг',
    ru: '{date} — нерабочий день ({name}): назначьте выезд на рабочий день',
    en: '{date} is a day off ({name}): schedule the visit on a working day',
  },
  APPLICATION_VISIT_SUNDAY: {
    status: 400,
    uz: '{date} — yakshanba, dam olish kuni: tashrifni ish kuniga belgilang',
    'uz-Cyrl': '{date} — якшанба, дам олиш куни: ташрифни иш кунига белгиланг',
    ru: '{date} — воскресенье, выходной: назначьте выезд на рабочий день',
    en: '{date} is a Sunday: schedule the visit on a working day',
  },
  APPLICATION_ASSIGNEE: {
    status: 400,
    uz: "Bu xodim ushbu bo'linma arizalari bilan ishlay olmaydi",
    'uz-Cyrl': 'Бу ходим ушбу бўлинма аризалари билан ишлай олмайди',
    ru: 'Этот сотрудник не может работать с заявками этого подразделения',
    en: 'This staff member cannot work the applications of this unit',
  },
  APPLICATION_REASON_REQUIRED: {
    status: 400,
    uz: "Rad etish sababini yozing: iste'molchi uni kabinetda ko'radi",
    'uz-Cyrl': 'Рад этиш сабабини ёзинг: истеъмолчи уни кабинетда кўради',
    ru: 'Укажите причину отказа: потребитель увидит её в кабинете',
    en: 'Give the reason for the refusal: the consumer sees it in the cabinet',
  },
  APPLICATION_NOT_REQUISITES: {
    status: 400,
    uz: "Faqat rekvizitlarni o'zgartirish arizasini tasdiqlab qo'llash mumkin",
    'uz-Cyrl': 'Фақат реквизитларни ўзгартириш аризасини тасдиқлаб қўллаш мумкин',
    ru: 'Применить можно только заявку на изменение реквизитов',
    en: 'Only a change of requisites can be approved and applied',
  },
  APPLICATION_APPLY_REQUIRED: {
    status: 400,
    uz: "Rekvizitlarni o'zgartirish arizasi «Tasdiqlash» bilan bajariladi: yangi rekvizitlar iste'molchi kartasiga yoziladi",
    'uz-Cyrl':
      'Реквизитларни ўзгартириш аризаси «Тасдиқлаш» билан бажарилади: янги реквизитлар истеъмолчи картасига ёзилади',
    ru: 'Заявка на изменение реквизитов исполняется кнопкой «Утвердить»: новые реквизиты записываются в карточку потребителя',
    en: 'A change of requisites is done by approving it: the new requisites are written to the consumer card',
  },
} as const satisfies Record<string, ErrorSpec>;
