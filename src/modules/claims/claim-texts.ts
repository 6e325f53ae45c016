import type { Locale } from '../../i18n/locale.ts';

// The legal text of the printable warning letter and pre-trial claim, in the four languages. It is
// kept here, in one place and as templates with {placeholders}, so that it can later come from the
// supplier's document templates (src/modules/reference, being built) instead of the code.
//
// Placeholders: {supplier} {consumer} {account} {asOf} {since} {debt} {penalty} {total} {due}
// {days} and the commodity's words {goods} (nominative), {goodsAcc}, {goodsGen}.

/** The printable kinds. */
export type PrintableKind = 'warning_letter' | 'pretrial_claim';

type KindText = { title: string; paragraphs: string[] };

export const CLAIM_TEXTS: Record<Locale, Record<PrintableKind, KindText>> = {
  uz: {
    warning_letter: {
      title: 'OGOHLANTIRISH XATI',
      paragraphs: [
        'Hurmatli isteʼmolchi! {supplier} maʼlum qiladiki, {account}-sonli shartnoma boʻyicha {asOf} holatiga {goods} uchun {total} soʻm qarzingiz bor (asosiy qarz {debt} soʻm, penya {penalty} soʻm); qarz {since} davridan beri toʻlanmagan.',
        'Qarzni {due} gacha toʻlashingizni soʻraymiz. Belgilangan muddatda toʻlanmasa, shartnoma va energiyadan foydalanish qoidalariga muvofiq {goods} yetkazib berish cheklanadi yoki toʻxtatiladi, qarz esa sud tartibida undiriladi; qayta ulash va sud xarajatlari sizning hisobingizdan qoplanadi.',
        'Agar qarz toʻlangan boʻlsa, ushbu xatga eʼtibor bermang.',
      ],
    },
    pretrial_claim: {
      title: 'SUDGACHA TALABNOMA',
      paragraphs: [
        '{supplier} va {consumer} oʻrtasida {account}-sonli energiya taʼminoti shartnomasi tuzilgan. Yetkazib berilgan {goods} uchun toʻlov toʻliq amalga oshirilmagan: {asOf} holatiga asosiy qarz {debt} soʻm (toʻlanmagan eng eski davr — {since}), penya {penalty} soʻm, jami {total} soʻm.',
        'Talabnoma olingan kundan boshlab {days} kun ichida, {due} gacha, koʻrsatilgan summani quyidagi rekvizitlar boʻyicha toʻlashingizni talab qilamiz.',
        'Talabnoma qanoatlantirilmasa yoki javob berilmasa, {supplier} qarz, penya va sud xarajatlarini undirish uchun iqtisodiy sudga daʼvo arizasi bilan murojaat qiladi.',
      ],
    },
  },
  'uz-Cyrl': {
    warning_letter: {
      title: 'ОГОҲЛАНТИРИШ ХАТИ',
      paragraphs: [
        'Ҳурматли истеъмолчи! {supplier} маълум қиладики, {account}-сонли шартнома бўйича {asOf} ҳолатига {goods} учун {total} сўм қарзингиз бор (асосий қарз {debt} сўм, пеня {penalty} сўм); қарз {since} давридан бери тўланмаган.',
        'Қарзни {due} гача тўлашингизни сўраймиз. Белгиланган муддатда тўланмаса, шартнома ва энергиядан фойдаланиш қоидаларига мувофиқ {goods} етказиб бериш чекланади ёки тўхтатилади, қарз эса суд тартибида ундирилади; қайта улаш ва суд харажатлари сизнинг ҳисобингиздан қопланади.',
        'Агар қарз тўланган бўлса, ушбу хатга эътибор берманг.',
      ],
    },
    pretrial_claim: {
      title: 'СУДГАЧА ТАЛАБНОМА',
      paragraphs: [
        '{supplier} ва {consumer} ўртасида {account}-сонли энергия таъминоти шартномаси тузилган. Етказиб берилган {goods} учун тўлов тўлиқ амалга оширилмаган: {asOf} ҳолатига асосий қарз {debt} сўм (тўланмаган энг эски давр — {since}), пеня {penalty} сўм, жами {total} сўм.',
        'Талабнома олинган кундан бошлаб {days} кун ичида, {due} гача, кўрсатилган суммани қуйидаги реквизитлар бўйича тўлашингизни талаб қиламиз.',
        'Талабнома қаноатлантирилмаса ёки жавоб берилмаса, {supplier} қарз, пеня ва суд харажатларини ундириш учун иқтисодий судга даъво аризаси билан мурожаат қилади.',
      ],
    },
  },
  ru: {
    warning_letter: {
      title: 'ПРЕДУПРЕЖДЕНИЕ О ЗАДОЛЖЕННОСТИ',
      paragraphs: [
        'Уважаемый потребитель! {supplier} сообщает, что по договору № {account} по состоянию на {asOf} у вас имеется задолженность за {goodsAcc} в сумме {total} сум (основной долг {debt} сум, пеня {penalty} сум), не погашенная с периода {since}.',
        'Просим погасить задолженность до {due}. При неоплате в указанный срок подача {goodsGen} будет ограничена или прекращена в порядке, предусмотренном договором и правилами пользования энергией, а задолженность взыскана в судебном порядке; расходы на повторное подключение и судебные расходы будут отнесены на ваш счёт.',
        'Если задолженность уже погашена, просим не принимать это предупреждение во внимание.',
      ],
    },
    pretrial_claim: {
      title: 'ДОСУДЕБНАЯ ПРЕТЕНЗИЯ',
      paragraphs: [
        'Между {supplier} и {consumer} заключён договор энергоснабжения № {account}. Поставленная {goods} оплачена не в полном объёме: по состоянию на {asOf} основной долг составляет {debt} сум (старейший неоплаченный период — {since}), пеня — {penalty} сум, всего {total} сум.',
        'Требуем в течение {days} дней с получения претензии, до {due}, перечислить указанную сумму по реквизитам ниже.',
        'В случае неудовлетворения претензии или отсутствия ответа {supplier} обратится в экономический суд с иском о взыскании задолженности, пени и судебных расходов.',
      ],
    },
  },
  en: {
    warning_letter: {
      title: 'WARNING LETTER',
      paragraphs: [
        'Dear customer, {supplier} informs you that under contract No. {account} you owe {total} so‘m for {goods} as of {asOf} (debt {debt} so‘m, penalty {penalty} so‘m), unpaid since {since}.',
        'Please pay by {due}. If the debt is not paid by then, the supply of {goods} will be restricted or stopped as the contract and the rules of energy use provide, and the debt will be recovered through the courts; reconnection and court costs will be charged to you.',
        'If you have already paid, please disregard this letter.',
      ],
    },
    pretrial_claim: {
      title: 'PRE-TRIAL CLAIM',
      paragraphs: [
        '{supplier} and {consumer} are parties to energy supply contract No. {account}. The {goods} supplied has not been paid for in full: as of {asOf} the debt is {debt} so‘m (oldest unpaid period {since}), the penalty {penalty} so‘m, {total} so‘m in total.',
        'We demand that you pay this amount within {days} days of receiving this claim, by {due}, to the account below.',
        'If the claim is not satisfied or not answered, {supplier} will file a suit with the economic court to recover the debt, the penalty and the court costs.',
      ],
    },
  },
};

/** The commodity's words in each language: nominative, accusative, genitive. */
export const GOODS: Record<
  Locale,
  Record<'electricity' | 'heat', { nom: string; acc: string; gen: string }>
> = {
  uz: {
    electricity: { nom: 'elektr energiyasi', acc: 'elektr energiyasi', gen: 'elektr energiyasi' },
    heat: { nom: 'issiqlik energiyasi', acc: 'issiqlik energiyasi', gen: 'issiqlik energiyasi' },
  },
  'uz-Cyrl': {
    electricity: { nom: 'электр энергияси', acc: 'электр энергияси', gen: 'электр энергияси' },
    heat: { nom: 'иссиқлик энергияси', acc: 'иссиқлик энергияси', gen: 'иссиқлик энергияси' },
  },
  ru: {
    electricity: {
      nom: 'электрическая энергия',
      acc: 'электрическую энергию',
      gen: 'электрической энергии',
    },
    heat: { nom: 'тепловая энергия', acc: 'тепловую энергию', gen: 'тепловой энергии' },
  },
  en: {
    electricity: { nom: 'electricity', acc: 'electricity', gen: 'electricity' },
    heat: { nom: 'heat', acc: 'heat', gen: 'heat' },
  },
};

/** A template with its {placeholders} filled (an unknown one stays as written). */
export function fillText(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
