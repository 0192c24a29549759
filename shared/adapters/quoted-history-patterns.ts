/**
 * How mail clients mark the history under a reply, as data: the words of their header blocks,
 * attribution lines, separators, signatures and banners, in the languages our members write in.
 * `reply-history.ts` reads them; `test/fixtures/email/clients.ts` writes replies in each style.
 * Every entry is matched after format characters (U+200E, U+200F, U+FEFF …) are removed.
 */

/** What a header line of a quoted message says, whatever the language. */
export type HeaderRole = 'from' | 'sent' | 'to' | 'cc' | 'subject';

/**
 * Header labels of Outlook, Exchange, Windows Mail, Lotus, Thunderbird's forward, Yahoo, AOL, Zimbra,
 * Mail.ru and Yandex, per language: "From:", "Von:", "От:", "发件人:" …
 */
export const HEADER_LABELS: Readonly<Record<HeaderRole, readonly string[]>> = {
  from: [
    'from',
    'von',
    'de',
    'de la',
    'da',
    'van',
    'från',
    'fra',
    'lähettäjä',
    'od',
    'feladó',
    'от',
    'від',
    'kimden',
    'από',
    '发件人',
    '寄件者',
    '差出人',
    '보낸 사람',
    'afzender',
    'remitente',
  ],
  sent: [
    'sent',
    'date',
    'gesendet',
    'datum',
    'envoyé',
    'envoyé le',
    'enviado',
    'enviado el',
    'enviada em',
    'fecha',
    'data',
    'inviato',
    'verzonden',
    'skickat',
    'sendt',
    'dato',
    'lähetetty',
    'päivämäärä',
    'wysłane',
    'wysłano',
    'odesláno',
    'elküldve',
    'dátum',
    'отправлено',
    'дата',
    'надіслано',
    'gönderildi',
    'tarih',
    'στάλθηκε',
    'ημερομηνία',
    '发送时间',
    '日期',
    '時間',
    '傳送時間',
    '送信日時',
    '日付',
    '보낸 날짜',
    '날짜',
    'trimis',
    'sent on',
  ],
  to: [
    'to',
    'an',
    'à',
    'a',
    'para',
    'aan',
    'till',
    'til',
    'vastaanottaja',
    'do',
    'komu',
    'címzett',
    'кому',
    'kime',
    'προς',
    '收件人',
    '收件者',
    '宛先',
    '받는 사람',
    'către',
    'destinatario',
  ],
  cc: [
    'cc',
    'kopie',
    'kopia',
    'kopi',
    'kopio',
    'dw',
    'másolat',
    'копия',
    'копія',
    'bilgi',
    'κοιν',
    '抄送',
    '副本',
    '참조',
  ],
  subject: [
    'subject',
    'betreff',
    'objet',
    'asunto',
    'assunto',
    'oggetto',
    'onderwerp',
    'ämne',
    'emne',
    'aihe',
    'temat',
    'předmět',
    'tárgy',
    'тема',
    'konu',
    'θέμα',
    '主题',
    '主旨',
    '件名',
    '제목',
    'subiect',
  ],
};

/**
 * The end of an attribution line ("On Tue, … Soft Partner <…> wrote:"), in about 30 languages. The verb
 * ends the line, before an optional colon; a line that ends so and names an address or a date, or is
 * followed by quoted lines, opens the history.
 */
export const ATTRIBUTION_VERBS: readonly string[] = [
  'wrote', // English
  'a écrit', // French
  'schrieb', // German
  'escribió', // Spanish
  'escreveu', // Portuguese
  'ha scritto',
  'scrisse', // Italian
  'schreef',
  'het volgende geschreven', // Dutch
  'skrev', // Swedish, Danish, Norwegian
  'kirjoitti', // Finnish
  'napisał',
  'napisała',
  'napisał(a)',
  'pisze', // Polish
  'napsal',
  'napsala',
  'napsal(a)', // Czech
  'napísal',
  'napísala', // Slovak
  'írta',
  'ezt írta', // Hungarian
  'написал',
  'написала',
  'написал(а)',
  'пишет', // Russian
  'написав',
  'написала',
  'пише', // Ukrainian
  'yazdı', // Turkish
  'έγραψε', // Greek
  'a scris', // Romanian
  'je napisao',
  'je napisala',
  'napisao je', // Croatian, Serbian
  '写道',
  '寫道', // Chinese
  'のメッセージ',
  '書きました',
  'wrote', // Japanese
  '작성',
  '님이 작성', // Korean
  'kirjutas', // Estonian
  'rašė', // Lithuanian
  'כתב',
  'כתבה', // Hebrew
  'كتب', // Arabic
  'đã viết', // Vietnamese
  'menulis', // Indonesian
];

/**
 * Separators that open a quoted or forwarded message in any client: "-----Original Message-----" and
 * its translations, "---------- Forwarded message ---------", Outlook's line of underscores, Apple's
 * "Begin forwarded message:".
 */
export const SEPARATOR_LINES: readonly RegExp[] = [
  // Any words between runs of three or more dashes: Original Message in every language, forwards.
  /^-{3,}[^-\n]{2,60}-{3,}\s*$/u,
  /^-{3,}\s*(?:original message|forwarded message|message d'origine|mensaje original|ursprüngliche nachricht)/iu,
  // Outlook's divider (32 underscores), and <hr> rendered as a line.
  /^_{10,}\s*$/u,
  /^-{10,}\s*$/u,
  /^(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado|doorgestuurd bericht)\s*:?\s*$/iu,
  // Lotus Notes: "----- Forwarded by … -----" is caught above; its reply header starts so.
  /^-{3,}\s*(?:forwarded by|replied by)\b/iu,
];

/**
 * Signatures added by mail apps, each a whole line: "Sent from my iPhone", "Von meinem iPhone
 * gesendet", "Get Outlook for iOS", "Sent from Mail for Windows" …
 */
export const APP_SIGNATURES: readonly RegExp[] = [
  /^sent (?:from|with|via|using) (?:my |the )?[\p{L}\p{N} .'’®™-]{2,40}$/iu,
  /^get (?:outlook|the \w+ app) for [\p{L}\p{N} ]{2,20}$/iu,
  /^(?:envoyé|envoye) (?:de|depuis) (?:mon |ma )?[\p{L}\p{N} .'’-]{2,40}$/iu,
  /^von meine[mr]? [\p{L}\p{N} .'’-]{2,40} gesendet$/iu,
  /^gesendet (?:von|mit) [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^enviado (?:desde|do|de) (?:mi |meu |o meu |minha )?[\p{L}\p{N} .'’-]{2,40}$/iu,
  /^inviato da [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^(?:verzonden|verstuurd) (?:vanaf|met|van) (?:mijn )?[\p{L}\p{N} .'’-]{2,40}$/iu,
  /^skickat från (?:min )?[\p{L}\p{N} .'’-]{2,40}$/iu,
  /^sendt fra (?:min )?[\p{L}\p{N} .'’-]{2,40}$/iu,
  /^lähetetty [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^wysłane z [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^odesláno z [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^(?:отправлено|надіслано) (?:с|з) [\p{L}\p{N} .'’-]{2,40}$/iu,
  /^iphoneから送信$/iu,
  /^[\p{L}\p{N} ]{2,20}から送信$/iu,
  /^发自我的[\p{L}\p{N} ]{2,20}$/iu,
  /^從我的 ?[\p{L}\p{N} ]{2,20} ?傳送$/iu,
  /^[\p{L}\p{N} ]{2,20}에서 보냄$/iu,
];

/**
 * Banners that a workplace's mail gateway adds to mail from outside ("CAUTION: This email originated
 * from outside of the organization …", "[EXTERNAL]"): the paragraph that starts with one is dropped.
 */
export const BANNER_STARTS: readonly RegExp[] = [
  /^\[?(?:external|extern|externe|externo|caution|warning|attention|achtung|vorsicht)\]?(?:\s*email|\s*e-mail|\s*sender|\s*message)?\s*(?::|!|-|\]|$)/iu,
  /\b(?:originated|comes|came) from outside (?:of )?(?:the|your|our) (?:organi[sz]ation|company)/iu,
  /^this (?:e-?mail|message) (?:originated|was sent) from (?:an )?(?:external|outside)/iu,
  /do not click links or open attachments unless/iu,
];
