'use client';

const KEY = 'rapport.ask-now';

/**
 * The question the user just asked from within the app (the command palette), to be asked as
 * soon as the Ask page opens. sessionStorage is this origin's and this tab's alone: a link from
 * elsewhere (`/ask?q=…`) cannot set it, so such a link only fills the question in, and nothing
 * is asked (or spent) until the user sends it.
 */
export function askWhenOpen(question: string) {
  sessionStorage.setItem(KEY, question);
}

/** Whether `question` is the one the user asked to have asked (once: it is forgotten). */
export function takeAskWhenOpen(question: string): boolean {
  const wanted = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  return wanted === question;
}
