/** Short forms people use for each other's first names: "Mike" is Michael, "Bill" William. */
const NICKNAMES: string[][] = [
  ['mike', 'michael', 'mick'],
  ['jim', 'james', 'jimmy'],
  ['bob', 'robert', 'rob', 'bobby', 'robbie'],
  ['bill', 'william', 'will', 'billy', 'liam'],
  ['jeff', 'jeffrey', 'geoff', 'geoffrey'],
  ['chris', 'christopher', 'christine', 'christina'],
  ['dave', 'david'],
  ['tom', 'thomas', 'tommy'],
  ['steve', 'steven', 'stephen'],
  ['dan', 'daniel', 'danny'],
  ['joe', 'joseph', 'joey'],
  ['tony', 'anthony'],
  ['kate', 'katherine', 'kathryn', 'katie', 'kathy', 'catherine'],
  ['liz', 'elizabeth', 'beth', 'betsy'],
  ['sue', 'susan', 'suzanne'],
  ['ken', 'kenneth', 'kenny'],
  ['rick', 'richard', 'rich', 'dick', 'ricky'],
  ['matt', 'matthew'],
  ['greg', 'gregory'],
  ['phil', 'phillip', 'philip'],
  ['andy', 'andrew', 'drew'],
  ['sam', 'samuel', 'samantha'],
  ['alex', 'alexander', 'alexandra'],
  ['nick', 'nicholas'],
  ['ben', 'benjamin'],
  ['jon', 'jonathan', 'john', 'johnny'],
  ['larry', 'lawrence'],
  ['jen', 'jennifer', 'jenny'],
  ['pat', 'patrick', 'patricia'],
  ['tim', 'timothy'],
  ['ed', 'edward', 'eddie'],
  ['fred', 'frederick'],
  ['vince', 'vincent'],
  ['vicky', 'victoria', 'vicki'],
];

const BY_NAME = new Map<string, string[]>();
for (const group of NICKNAMES) for (const n of group) BY_NAME.set(n, group);

/** A first name and its other forms (itself alone when it has none), lower case. */
export function nameForms(first: string): string[] {
  return BY_NAME.get(first) ?? [first];
}

/** The same first name, or one a short form of the other ("Mike" and "Michael"). */
export function sameFirstName(a: string, b: string): boolean {
  return a === b || nameForms(a).includes(b);
}
