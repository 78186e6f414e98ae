//! Recognising a person's name and job title in loose text near a contact, for pages that carry no
//! structured data (team pages, staff directories, email signatures).

/// Words that make a line a job title, sorted (for a binary search: every word of every line near a
/// contact is looked up).
const TITLE_WORDS: &[&str] = &[
    "account",
    "accountant",
    "administrator",
    "adviser",
    "advisor",
    "agent",
    "amministratore",
    "analyst",
    "architect",
    "assistant",
    "associate",
    "attorney",
    "broker",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairperson",
    "chairwoman",
    "chief",
    "cio",
    "cmo",
    "co-founder",
    "cofounder",
    "consultant",
    "coo",
    "coordinator",
    "counsel",
    "cpo",
    "cso",
    "cto",
    "designer",
    "developer",
    "directeur",
    "director",
    "directrice",
    "editor",
    "engineer",
    "engineering",
    "evp",
    "executive",
    "fondateur",
    "fondatrice",
    "founder",
    "gerente",
    "geschäftsführer",
    "gründer",
    "gérant",
    "gérante",
    "head",
    "ingénieur",
    "inhaber",
    "inhaberin",
    "intern",
    "lawyer",
    "lead",
    "leiter",
    "leiterin",
    "manager",
    "marketing",
    "officer",
    "operations",
    "owner",
    "partner",
    "president",
    "principal",
    "producer",
    "product",
    "professor",
    "realtor",
    "recruiter",
    "representative",
    "researcher",
    "responsabile",
    "responsable",
    "sales",
    "scientist",
    "secretary",
    "specialist",
    "strategist",
    "supervisor",
    "svp",
    "treasurer",
    "vice",
    "vp",
];

/// Phrases that make a line a job title wherever they appear in it.
const TITLE_PHRASES: &[&str] = &[
    "business development",
    "customer success",
    "director general",
];

/// Lines that look like names but are page furniture.
const NOT_NAMES: &[&str] = &[
    "contact us",
    "our team",
    "the team",
    "meet the team",
    "read more",
    "learn more",
    "get in touch",
    "about us",
    "sales team",
    "customer support",
    "customer service",
    "privacy policy",
    "terms of service",
    "cookie policy",
    "all rights reserved",
    "follow us",
    "sign in",
    "sign up",
    "log in",
    "home page",
    "main office",
    "head office",
    "view profile",
    "send email",
    "send message",
    "call now",
    "book a demo",
    "request a demo",
    "press contact",
    "media contact",
    "new york",
    "san francisco",
    "los angeles",
    "united states",
    "united kingdom",
    "phone number",
    "email address",
    "opening hours",
    "business hours",
    "key contacts",
    "board of directors",
    "leadership team",
];

/// Generational and honorific suffixes that follow a name ("Walker III", "Smith Jr.").
const SUFFIXES: &[&str] = &[
    "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "phd", "md",
];

const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "la", "le", "bin", "al",
    "y", "dos", "das", "ten", "ter",
];

fn is_title_word(word: &str) -> bool {
    let known = |w: &str| TITLE_WORDS.binary_search(&w).is_ok();
    // A plural heads a shared role ("Managing Partners", "Directors"), and a prefixed title is
    // still one ("Co-Chair", "Vice-President", "Co-Directors").
    known(word)
        || word.len() > 3 && word.strip_suffix('s').is_some_and(known)
        || word.rsplit_once('-').is_some_and(|(_, tail)| {
            known(tail) || tail.len() > 3 && tail.strip_suffix('s').is_some_and(known)
        })
}

/// Does `line` read as a job title? ("Head of Sales", "CTO & Co-founder", "Senior Software Engineer")
pub fn looks_like_title(line: &str) -> bool {
    let line = line.trim().trim_end_matches([',', '.', ';', ':']);
    // (Characters are never more than bytes: only a long line needs counting.)
    if line.is_empty()
        || line.len() > 160
        || line.len() > 80 && line.chars().count() > 80
        || has_digit_or_at(line)
    {
        return false;
    }
    let mut words = 0;
    let mut titled = false;
    let mut lower_word = String::new();
    for w in line
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '&' | '/' | '|'))
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if words > 8 {
            return false;
        }
        if !titled {
            lower_word.clear();
            lower_word.extend(
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                    .chars()
                    .flat_map(char::to_lowercase),
            );
            titled = is_title_word(&lower_word);
        }
    }
    // A phrase has a space, and lower-casing never makes one.
    titled || line.contains(' ') && has_title_phrase(line)
}

/// Whether `line` has an ASCII digit or an `@`: then neither [`looks_like_name`] nor
/// [`looks_like_title`] holds for it.
pub fn has_digit_or_at(line: &str) -> bool {
    line.bytes().any(|b| b.is_ascii_digit() || b == b'@')
}

/// Whether `line`, lower-cased, contains one of [`TITLE_PHRASES`].
fn has_title_phrase(line: &str) -> bool {
    if !line.is_ascii() {
        let lower = line.to_lowercase();
        return TITLE_PHRASES.iter().any(|t| lower.contains(t));
    }
    // ASCII lower-casing maps byte to byte: compare in place instead of copying the line.
    let hay = line.as_bytes();
    TITLE_PHRASES.iter().any(|phrase| {
        let p = phrase.as_bytes();
        memchr::memchr2_iter(p[0], p[0].to_ascii_uppercase(), hay).any(|i| {
            hay.get(i..i + p.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(p))
        })
    })
}

/// Words written before a name that are not part of it ("Inh. Petra Hoffmann", "Contact Jane Doe").
/// Courtesy and academic titles ("Dr. Jane Doe", "Prof. Dr. Eva Roth") are part of the name as
/// displayed: see [`NAME_TITLES`].
const HONORIFICS: &[&str] = &[
    // A link's or a sentence's action before the name ("Contactez Sophie Martin", "Email Sarah").
    "contactez",
    "contacter",
    "contacta",
    "contatta",
    "contactar",
    "kontaktieren",
    "kontakt:",
    "contact:",
    "ask",
    "call",
    "email",
    "e-mail",
    "mail",
    "write",
    "écrire",
    "écrivez",
    "appelez",
    "message",
    "text",
    "inh.",
    "inhaber",
    "inhaberin",
    "contact",
    "ansprechpartner",
    "ansprechpartnerin",
    "by",
    "von",
    "par",
    // Japanese job titles written before the name ("部長　田中 健一").
    "部長",
    "課長",
    "係長",
    "支店長",
    "社長",
    "代表取締役",
    "取締役",
    "主任",
    "店長",
    "所長",
    "室長",
    "担当",
    "専務",
    "常務",
    "会長",
    "副社長",
];

/// Titles written as part of a name ("Dr. Jane Doe", "Prof. Dr. Eva Roth", "Mme Claire Vasseur"):
/// kept in the name, skipped when judging its shape.
const NAME_TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "mx",
    "mx.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "sir",
    "dame",
    "herr",
    "frau",
    "m.",
    "mme",
    "mme.",
    "mlle",
    "sr.",
    "sra.",
    "dott.",
    "dott.ssa",
    "dr.ssa",
    "prof.ssa",
    "rag.",
    "avv.",
    "arch.",
    "geom.",
    "sig.",
    "sig.ra",
    "ing.",
    "dipl.-ing.",
    "dr.-ing.",
    "mag.",
    "rev.",
    "pr",
    "pr.",
    "me",
    "maître",
    "univ.-prof.",
    "priv.-doz.",
    "apl.",
];

/// `line` without its leading courtesy and academic titles.
pub fn without_name_titles(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some((first, tail)) = rest.split_once(char::is_whitespace) {
        if !NAME_TITLES.iter().any(|t| t.eq_ignore_ascii_case(first)) {
            break;
        }
        rest = tail.trim_start();
    }
    rest
}

/// The longest of [`HONORIFICS`], in bytes.
const LONGEST_HONORIFIC: usize = 17;

/// `line` without leading honorifics, and how many bytes were cut from its start.
pub fn strip_honorifics(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start();
    while let Some(tail) = after_honorific(rest) {
        rest = tail.trim_start();
    }
    (line.len() - rest.len(), rest)
}

/// What follows the whitespace after `s`'s first word, if that word is an honorific. The word is
/// only read as far as an honorific can reach: most lines start with a longer word, or are one.
fn after_honorific(s: &str) -> Option<&str> {
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            let first = &s[..i];
            return HONORIFICS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(first))
                .then(|| &s[i + c.len_utf8()..]);
        }
        if i >= LONGEST_HONORIFIC {
            return None;
        }
    }
    None
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// A name in a script without capitals: family and given name of CJK characters separated by a
/// space ("山田 太郎", "김 민준"), each part one to four characters, and not a department or place
/// (those end in 部, 課, 室, 所, 社, 店, 局, 会 …).
fn looks_like_cjk_name(line: &str) -> bool {
    const NOT_NAME_ENDINGS: &[char] = &[
        '部', '課', '室', '所', '社', '店', '局', '会', '係', '院', '館', '場', '国', '県', '市',
        '区',
    ];
    if !line.chars().next().is_some_and(is_cjk) {
        return false;
    }
    let parts: Vec<&str> = line
        .split([' ', '\u{3000}'])
        .filter(|p| !p.is_empty())
        .collect();
    // Functions and places: `広報 担当` (PR, in charge), `採用 窓口`, `お客様 センター`.
    const NOT_NAME_SUFFIXES: &[&str] = &[
        "担当",
        "窓口",
        "事務局",
        "センター",
        "ビル",
        "ビルディング",
        "支店",
        "本社",
        "営業",
        "広報",
        "総務",
        "人事",
        "経理",
    ];
    parts.len() == 2
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.chars().count()) && p.chars().all(is_cjk))
        && !parts.iter().any(|p| {
            p.ends_with(NOT_NAME_ENDINGS) || NOT_NAME_SUFFIXES.iter().any(|x| p.ends_with(x))
        })
}

/// A foreign name written in katakana: given and family name joined by `・`, `＝` or `=`, or
/// separated by a space ("ライアン・ミッチェル", "ジャン＝ピエール・マルタン", "マリア ロッシ"); two or three
/// parts of two to eight kana each. A single katakana word is a loanword as often as a name, and
/// functions ("カスタマー・サポート") are not names.
fn looks_like_katakana_name(line: &str) -> bool {
    let is_kana = |c: char| matches!(c as u32, 0x30A1..=0x30FA | 0x30FC);
    let first = line.chars().next().unwrap_or_default();
    if !is_kana(first) {
        return false;
    }
    const NOT_NAME_PARTS: &[&str] = &[
        "サポート",
        "センター",
        "サービス",
        "チーム",
        "デスク",
        "ショップ",
        "グループ",
        "オフィス",
        "マーケティング",
        "セールス",
        "カスタマー",
        "スタッフ",
        "メール",
        "フォーム",
        "ページ",
        "ニュース",
        "プレス",
        "リリース",
        "ビル",
        "タワー",
        "ビルディング",
    ];
    let mut parts = 0;
    for part in line.split(['・', '＝', '=', ' ', '\u{3000}']) {
        parts += 1;
        let n = part.chars().count();
        if parts > 3
            || !(2..=8).contains(&n)
            || !part.chars().all(is_kana)
            || NOT_NAME_PARTS.contains(&part)
        {
            return false;
        }
    }
    parts >= 2
}

/// Does `line` read as a person's name? Two to four capitalised words (with name particles such as
/// "van" or "de" allowed in lower case), letters only besides `-`, `'` and `.` initials.
pub fn looks_like_name(line: &str) -> bool {
    let line = without_name_titles(line.trim().trim_end_matches([',', ';', ':']));
    // Cheap shape checks first: most page text fails one of them. A digit or an `@` fails every
    // word check below, and a CJK name has neither.
    let Some(first) = line.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || line.len() > 4 * 48 || has_digit_or_at(line) {
        return false;
    }
    if looks_like_cjk_name(line) || looks_like_katakana_name(line) {
        return true;
    }
    let count = line.chars().count();
    if !(4..=48).contains(&count) {
        return false;
    }
    // Two to four words, read in one pass that stops at the first word that is not a name's.
    let mut words = 0;
    let mut capitalised = 0;
    for (i, w) in line.split_whitespace().enumerate() {
        words += 1;
        if words > 4 {
            return false;
        }
        if PARTICLES.contains(&w)
            || (i >= 2 && SUFFIXES.contains(&w.trim_end_matches(',').to_lowercase().as_str()))
        {
            continue;
        }
        let mut chars = w.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        if !first.is_uppercase() {
            return false;
        }
        // "J." initials are fine; otherwise letters and name punctuation only.
        if !w
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’' || c == '.')
        {
            return false;
        }
        // ALL CAPS words longer than 3 letters are usually headings ("OUR TEAM").
        if w.chars().count() > 3 && w.chars().all(|c| !c.is_lowercase()) {
            return false;
        }
        capitalised += 1;
    }
    if words < 2 {
        return false;
    }
    // A building or a block ends with a bare letter ("Haus A", "Block C", "Bâtiment B"); a
    // name's initial has its dot ("Mary J. Blige").
    if line
        .split_whitespace()
        .last()
        .is_some_and(|w| w.chars().count() == 1)
    {
        return false;
    }
    // Some lower-case letter: "PU HT" and "GB VAT" are abbreviations.
    if !line.chars().any(char::is_lowercase) {
        return false;
    }
    if capitalised < 2 {
        return false;
    }
    let lower = line.to_lowercase();
    !NOT_NAMES.iter().any(|n| lower == *n) && !looks_like_title(line) && !names_no_person(&lower)
}

/// First words of a line that make it an action, a greeting or a phrase, not a name: a link's
/// action text ("Email Sarah", "Call Conor", "Écrire à Claire", "E-Mail an Jens", "Book Online"),
/// a greeting ("Hi Derek", "Dear Jane"), a heading ("Our Team", "Unser Team", "The Crescent").
const NOT_NAME_FIRST_WORDS: &[&str] = &[
    "email",
    "e-mail",
    "mail",
    "call",
    "phone",
    "ring",
    "write",
    "contact",
    "message",
    "text",
    "book",
    "send",
    "visit",
    "view",
    "see",
    "read",
    "download",
    "get",
    "request",
    "talk",
    "chat",
    "follow",
    "join",
    "meet",
    "ask",
    "apply",
    "schedule",
    "instruct",
    "open",
    "go",
    "find",
    "learn",
    "explore",
    "discover",
    "start",
    "try",
    "sign",
    "log",
    "écrire",
    "écrivez",
    "appeler",
    "appelez",
    "contacter",
    "contactez",
    "envoyer",
    "joindre",
    "rencontrer",
    "voir",
    "schreiben",
    "schreiben",
    "anrufen",
    "kontaktieren",
    "kontakt",
    "rufen",
    "mailen",
    "nachricht",
    "zum",
    "zur",
    "hi",
    "hello",
    "hey",
    "dear",
    "hallo",
    "bonjour",
    "salut",
    "liebe",
    "lieber",
    "sehr",
    "thanks",
    "thank",
    "merci",
    "danke",
    "cheers",
    "regards",
    "welcome",
    "willkommen",
    "bienvenue",
    "our",
    "your",
    "my",
    "mein",
    "meine",
    "mon",
    "mes",
    "mio",
    "unser",
    "unsere",
    "ihr",
    "ihre",
    "votre",
    "notre",
    "nos",
    "vos",
    "the",
    "les",
    "der",
    "die",
    "das",
    "one",
    "two",
    "all",
    "alle",
    "letzte",
    "last",
    "new",
    "neu",
    "neue",
    "about",
    "viele",
    "beste",
    "besten",
    "best",
    "kind",
    "warm",
    "warmest",
    "mit",
    "freundliche",
    "freundlichen",
    "herzliche",
    "cordialement",
    "bien",
    "bonne",
    "sincerely",
    "yours",
    "with",
    "total",
    "sous",
    "grand",
    "über",
    "meet",
    "accepted",
    "client",
    "customer",
    "kunden",
    "mandanten",
];

/// Words that make a line a department, a building, a company or page furniture, wherever they
/// stand in it: "Customer Service", "Accounts Payable", "Harbour House", "Tower 2", "Bâtiment B",
/// "Halliday Croft LLP", "Golden Gate Pet Clinic", "Client Portal", "Brightdesk Expert".
const NOT_NAME_WORDS: &[&str] = &[
    // Departments, functions, page furniture.
    "portal",
    "online",
    "login",
    "team",
    "staff",
    "directory",
    "office",
    "service",
    "services",
    "support",
    "department",
    "dept",
    "desk",
    "payable",
    "receivable",
    "accounts",
    "billing",
    "privacy",
    "protection",
    "press",
    "media",
    "sales",
    "reception",
    "admissions",
    "enquiries",
    "inquiries",
    "helpdesk",
    "help",
    "hotline",
    "expert",
    "experts",
    "moderator",
    "champion",
    "community",
    "resolution",
    "property",
    "solution",
    "faq",
    "newsletter",
    "careers",
    "jobs",
    "personalabteilung",
    "sekretariat",
    "vertrieb",
    "buchhaltung",
    "kundenservice",
    "zentrale",
    "empfang",
    "presse",
    "datenschutz",
    "verwaltung",
    "abteilung",
    "secrétariat",
    "accueil",
    "comptabilité",
    "direction",
    "ressources",
    "humaines",
    "client",
    "clientèle",
    "standard",
    // A portal or a members' area ("Area Riservata Clienti", "Espace clients", "Client Area").
    "area",
    "riservata",
    "riservato",
    "reserved",
    "clienti",
    "clients",
    "clientes",
    "espace",
    // World regions a sales team is listed under ("North America", "Asia Pacific", "Latin
    // America", "Middle East & Africa", "EMEA", "DACH").
    "america",
    "americas",
    "pacific",
    "asia",
    "europe",
    "africa",
    "oceania",
    "emea",
    "apac",
    "apj",
    "latam",
    "mena",
    "dach",
    "nordics",
    "benelux",
    // Buildings and places.
    "house",
    "chambers",
    "palazzo",
    "palais",
    "edificio",
    "torre",
    "exchange",
    "arcade",
    "mansions",
    "mews",
    "gebouw",
    "centro",
    "edifício",
    "tower",
    "building",
    "plaza",
    "wharf",
    "centre",
    "center",
    "campus",
    "gebäude",
    "bâtiment",
    "haus",
    "immeuble",
    "residence",
    "résidence",
    "floor",
    "suite",
    "street",
    "road",
    "avenue",
    "straße",
    "strasse",
    "platz",
    "rue",
    "quai",
    "boulevard",
    // Companies and institutions.
    "ltd",
    "ltd.",
    "limited",
    "llc",
    "llp",
    "lp",
    "inc",
    "inc.",
    "incorporated",
    "gmbh",
    "ag",
    "sarl",
    "sàrl",
    "sas",
    "sa",
    "s.a.",
    "kg",
    "mbb",
    "plc",
    "bv",
    "b.v.",
    "nv",
    "pty",
    "corp",
    "corp.",
    "corporation",
    "co.",
    "company",
    "dac",
    "oy",
    "ab",
    "spa",
    "s.p.a.",
    "srl",
    "s.r.l.",
    "e.v.",
    "gbr",
    "ohg",
    "ug",
    "partg",
    "kk",
    "k.k.",
    "group",
    "holdings",
    "partners",
    "associates",
    "college",
    "university",
    "universität",
    "université",
    "hochschule",
    "school",
    "institute",
    "institut",
    "academy",
    "akademie",
    "clinic",
    "klinik",
    "dental",
    "therapy",
    "design",
    "hardware",
    "collective",
    "yoga",
    "studio",
    "restaurant",
    "café",
    "cafe",
    "bakery",
    "hotel",
    "salon",
    "consulting",
    "solutions",
    "analytics",
    "labs",
    "technologies",
    "systems",
    "software",
    "kanzlei",
    "praxis",
    "tischlerei",
    "buchhandlung",
    "atelier",
    "ateliers",
    "plumbing",
    "heaters",
    "repair",
    "landscape",
    "foundation",
    "stiftung",
    "verein",
    "association",
    "society",
    "chamber",
    "bank",
    "insurance",
    "agency",
    "agentur",
    "shop",
    "store",
    "boutique",
    "market",
    "gallery",
    "museum",
    "library",
    // Places, memberships, practice areas, page sections.
    "valley",
    "place",
    "quay",
    "canal",
    "harbour",
    "harbor",
    "member",
    "members",
    "mitglied",
    "business",
    "drain",
    "cleaning",
    "artikel",
    "article",
    "articles",
    "related",
    "verwandte",
    "markets",
    "capital",
    "litigation",
    "corporate",
    "employment",
    "finance",
    "estate",
    "practice",
    "insolvency",
    "arbitration",
    "öffnungszeiten",
    "sprechzeiten",
    "opening",
    "hours",
    "horaires",
];

/// Whether lower-cased `lower` (a name-shaped line) is no person: see [`NOT_NAME_FIRST_WORDS`] and
/// [`NOT_NAME_WORDS`]; a German compound noun for a trade, a place or a process
/// ("Tischlerei", "Kontorhaus", "Aktualisierung") is none either.
pub fn names_no_person(lower: &str) -> bool {
    let mut words = lower.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if NOT_NAME_FIRST_WORDS.contains(&first.trim_end_matches([',', '.'])) {
        return true;
    }
    let compound = |w: &str| {
        let n = w.chars().count();
        (n >= 9 && w.ends_with("ung"))
            || (n >= 7
                && (w.ends_with("erei")
                    || w.ends_with("haus")
                    || w.ends_with("gebäude")
                    || w.ends_with("kneipe")))
    };
    if compound(first) {
        return true;
    }
    std::iter::once(first).chain(words).any(|w| {
        let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '&'));
        NOT_NAME_WORDS.contains(&w) || (w.chars().count() >= 9 && w.ends_with("ung"))
    })
}

/// A name suggested by an email's local part (`jane.doe` → "Jane Doe"), used to confirm a nearby name.
pub fn name_tokens_from_local_part(local: &str) -> Vec<String> {
    local
        .split(['.', '_', '-'])
        .filter(|t| t.len() >= 2 && t.chars().all(|c| c.is_alphabetic()))
        .map(|t| t.to_lowercase())
        .collect()
}

/// How well `name` matches the tokens of an email local part: 0 (no overlap) to 1 (every name word).
pub fn name_matches_local_part(name: &str, local: &str) -> f32 {
    let tokens = name_tokens_from_local_part(local);
    let local_lower = local.to_lowercase();
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| !PARTICLES.contains(&w.as_str()))
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let hits = words
        .iter()
        .filter(|w| {
            tokens.iter().any(|t| t == *w)
                || (w.chars().count() >= 3 && local_lower.contains(w.as_str()))
        })
        .count();
    // "jdoe": the initial plus the surname.
    let initial = words
        .first()
        .and_then(|f| f.chars().next())
        .zip(words.last())
        .is_some_and(|(i, last)| local_lower == format!("{i}{last}"));
    if initial {
        return 1.0;
    }
    hits as f32 / words.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "Jane Doe",
            "Alice Walker VIII",
            "John Smith Jr.",
            "Jean-Luc Picard",
            "Ludwig van Beethoven",
            "Mary J. Blige",
            "Siobhán O'Neill",
            "José María García",
        ] {
            assert!(looks_like_name(n), "{n}");
        }
        assert!(looks_like_name("山田 太郎") && looks_like_name("김 민준"));
        assert!(!looks_like_name("営業部 第一課") && !looks_like_name("会社概要"));
        for n in [
            "ライアン・ミッチェル",
            "ジャン＝ピエール・マルタン",
            "マリア ロッシ",
        ] {
            assert!(looks_like_name(n), "{n}");
        }
        for n in [
            "カスタマー・サポート",
            "サポート",
            "ライアン",
            "ライアン・ミッチェル・ジョン・スミス",
        ] {
            assert!(!looks_like_name(n), "{n}");
        }
        for n in [
            "North America",
            "Asia Pacific",
            "Latin America",
            "EMEA Sales",
            "Victoria Chambers",
            "Palazzo Fatebenefratelli",
            "Area Riservata Clienti",
            "Responsabile Area Paghe",
            "Programme Co-Chairs",
            "Managing Partners",
            "Espace Clients",
            "Mein Kundenkonto",
            "My Bookings",
            "Centro Direzionale Colleoni",
            "Stable Mews",
        ] {
            assert!(!looks_like_name(n), "{n}");
        }
        for n in [
            "Contact us",
            "Our Team",
            "jane doe",
            "Head of Sales",
            "Call 555 0100",
            "OUR PEOPLE",
            "Read More",
            "Welcome",
            "This is a much longer sentence of prose text",
        ] {
            assert!(!looks_like_name(n), "{n}");
        }
    }

    #[test]
    fn honorifics_are_not_part_of_the_name() {
        assert_eq!(
            HONORIFICS.iter().map(|h| h.len()).max(),
            Some(LONGEST_HONORIFIC)
        );
        assert_eq!(
            strip_honorifics("Ansprechpartnerin  Dr. Eva Roth"),
            (19, "Dr. Eva Roth")
        );
        assert_eq!(
            strip_honorifics("Ansprechpartnerinnen Eva Roth"),
            (0, "Ansprechpartnerinnen Eva Roth")
        );
        assert_eq!(strip_honorifics(" Contact\u{a0}Bean"), (10, "Bean"));
        assert_eq!(strip_honorifics("Contact"), (0, "Contact"));
        assert_eq!(
            strip_honorifics("Inh. Petra Hoffmann"),
            (5, "Petra Hoffmann")
        );
        assert_eq!(strip_honorifics("Dr. Jane Doe"), (0, "Dr. Jane Doe"));
        assert!(
            looks_like_name("Prof. Dr. Ulrike Hartmann")
                && looks_like_name("Dr. Piotr Kowalczyk")
                && !looks_like_name("Dr. Smith")
                && looks_like_name("Rag. Paolo Colombo")
                && looks_like_name("Avv. Giulia Neri")
        );
        assert_eq!(strip_honorifics("Jane Doe"), (0, "Jane Doe"));
    }

    #[test]
    fn title_words_are_sorted_single_words() {
        assert!(
            TITLE_WORDS.windows(2).all(|w| w[0] < w[1]),
            "TITLE_WORDS must stay sorted"
        );
        assert!(
            TITLE_WORDS.iter().all(|w| !w.contains(' '))
                && TITLE_PHRASES.iter().all(|p| p.contains(' '))
        );
    }

    #[test]
    fn titles() {
        for t in [
            "Head of Sales",
            "CTO & Co-founder",
            "Senior Software Engineer",
            "Directeur commercial",
            "VP, Marketing",
            "Programme Co-Chairs",
            "Responsabile Area Paghe",
            "Directors",
        ] {
            assert!(looks_like_title(t), "{t}");
        }
        for t in ["Jane Doe", "Welcome to our website", "Call us on 555 0100"] {
            assert!(!looks_like_title(t), "{t}");
        }
    }

    #[test]
    fn local_part_matching() {
        assert_eq!(name_matches_local_part("Jane Doe", "jane.doe"), 1.0);
        assert_eq!(name_matches_local_part("Jane Doe", "jdoe"), 1.0);
        assert_eq!(name_matches_local_part("Jane Doe", "jane"), 0.5);
        assert_eq!(name_matches_local_part("Jane Doe", "bob"), 0.0);
    }
}
