/**
 * The line at the top of every email we send (`_reply-marker.mjml` and `.txt`, put there by
 * scripts/compile-emails.ts), as help desks do: a reply is read only above it, whatever a mail client
 * puts around our quoted words. Each translation is what we would send in that language; all are
 * recognised in every reply, so a marker sent in one language is found whichever is sent later.
 */
export const REPLY_MARKERS = {
  en: 'Reply above this line',
  fr: 'Répondez au-dessus de cette ligne',
  de: 'Bitte oberhalb dieser Zeile antworten',
  es: 'Responde por encima de esta línea',
  pt: 'Responda acima desta linha',
  it: 'Rispondi sopra questa riga',
  nl: 'Antwoord boven deze regel',
  sv: 'Svara ovanför den här raden',
  da: 'Svar over denne linje',
  nb: 'Svar over denne linjen',
  fi: 'Vastaa tämän rivin yläpuolelle',
  pl: 'Odpowiedz powyżej tej linii',
  cs: 'Odpovězte nad tento řádek',
  hu: 'E sor fölé válaszoljon',
  ru: 'Ответьте над этой строкой',
  uk: 'Відповідайте над цим рядком',
  tr: 'Bu satırın üstüne yanıt verin',
  el: 'Απαντήστε πάνω από αυτή τη γραμμή',
  ja: 'この行より上に返信してください',
  zh: '请在此行上方回复',
  ko: '이 줄 위에 답장하세요',
} as const;

/** The marker as we send it today. */
export const REPLY_MARKER = REPLY_MARKERS.en;
