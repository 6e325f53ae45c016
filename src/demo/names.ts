import type { Random } from './random.ts';

const MALE = [
  'Aziz',
  'Bobur',
  'Jasur',
  'Dilshod',
  'Sardor',
  'Otabek',
  'Sherzod',
  'Rustam',
  'Anvar',
  "Ulug'bek",
  'Farrux',
  'Javlon',
  'Shoxrux',
  'Nodir',
  'Akmal',
  'Jamshid',
  'Behzod',
  'Sanjar',
];
const FEMALE = [
  'Dilnoza',
  'Gulnora',
  'Malika',
  'Nodira',
  'Shahnoza',
  'Madina',
  'Zarina',
  'Feruza',
  'Kamola',
  'Nigora',
  'Sevara',
  'Mohira',
  'Lola',
  'Gulchehra',
];
const SURNAMES = [
  'Karimov',
  'Rahimov',
  'Tursunov',
  'Yusupov',
  'Aliyev',
  'Sobirov',
  'Ismoilov',
  'Qodirov',
  'Ergashev',
  'Nazarov',
  'Xolmatov',
  'Abdullayev',
  'Mirzayev',
  'Saidov',
  'Usmonov',
  "To'xtayev",
  'Hasanov',
  "Jo'rayev",
];
const BRAND = [
  'Oltin',
  'Yangi',
  'Buyuk',
  'Sharq',
  "Navro'z",
  'Zarafshon',
  'Turon',
  'Samo',
  "Ipak yo'li",
  'Baraka',
  'Nur',
  'Mehr',
  'Orzu',
  'Istiqlol',
  'Vodiy',
  'Afrosiyob',
  'Registon',
  'Bunyodkor',
  'Farovon',
  'Chinor',
  'Sayxun',
  'Tong',
  'Bahor',
  'Umid',
];
const TRADE = [
  'Savdo',
  'Qurilish',
  'Tekstil',
  'Agro',
  'Servis',
  'Trans',
  'Invest',
  'Plast',
  'Oziq-ovqat',
  'Mebel',
  'Sut',
  'Non',
  'Metall',
  'Farm',
  'Print',
  'Energo',
  'Logistik',
  'Gilam',
];
const FORMS = ['MChJ', 'MChJ', 'MChJ', 'AJ', 'XK', 'QK'];
const STREETS = [
  'Bunyodkor',
  'Amir Temur',
  'Navoiy',
  'Mustaqillik',
  'Qatortol',
  'Muqimiy',
  "Bog'ishamol",
  'Registon',
  'Beruniy',
  'Shota Rustaveli',
  "Cho'ponota",
  'Lutfiy',
  'Furqat',
  'Nurafshon',
];

/** A person's full name: surname, first name, patronymic. */
export function personName(r: Random): string {
  const female = r.chance(0.45);
  const surname = r.pick(SURNAMES);
  const father = r.pick(MALE).replace(/'/g, '');
  return female
    ? `${surname}a ${r.pick(FEMALE)} ${father} qizi`
    : `${surname} ${r.pick(MALE)} ${father} o'g'li`;
}

/** A legal entity: its name and whether it is an individual entrepreneur. */
export function companyName(
  r: Random,
  index: number,
): { name: string; entrepreneur: boolean; budget: boolean } {
  if (index % 17 === 5)
    return { name: `${10 + (index % 300)}-son umumta'lim maktabi`, entrepreneur: false, budget: true };
  if (index % 9 === 2) {
    const [surname, first] = personName(r).split(' ');
    return { name: `YaTT ${surname} ${first}`, entrepreneur: true, budget: false };
  }
  return { name: `"${r.pick(BRAND)} ${r.pick(TRADE)}" ${r.pick(FORMS)}`, entrepreneur: false, budget: false };
}

/** A street address in a city. */
export function address(r: Random, city: string): string {
  return `${city}, ${r.pick(STREETS)} ko'chasi, ${r.int(1, 120)}-uy${r.chance(0.5) ? `, ${r.int(1, 90)}-xonadon` : ''}`;
}
