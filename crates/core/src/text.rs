//! Text folding for search: what a person types must find what the registry holds.

/// Folds text for case-insensitive search over Kazakh, Russian and Latin text:
/// lower case by Unicode rules (so «АҚБОТА» and «ақбота» meet, Ә Ғ Қ Ң Ө Ұ Ү Һ І included),
/// ё as е, and runs of anything that is not a letter or digit as one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(if l == 'ё' { 'е' } else { l });
            }
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The Kazakh alphabet (Cyrillic, 42 letters): names sort in this order, not by code point.
const KAZAKH_ALPHABET: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";

fn letter_rank(c: char) -> u32 {
    match KAZAKH_ALPHABET.chars().position(|a| a == c) {
        // Cyrillic letters after digits and Latin, in Kazakh order.
        Some(i) => 0x1000 + i as u32,
        None => c as u32,
    }
}

/// Which rules [`sort_key`] follows; a database holding keys of another version makes
/// them again.
pub const SORT_KEY_VERSION: u32 = 2;

/// A key whose plain byte order is Kazakh alphabetical order: case-insensitive, Ә after А,
/// Қ after К, І after Ы, quotes and signs such as «» and № skipped, and numbers by their
/// value («№ 2» before «№ 11»: a run of digits is keyed by its length, then its digits). A
/// database can index it and sort by it with its built-in binary order (UTF-8 byte order is
/// code point order).
pub fn sort_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.is_empty() {
            return;
        }
        let value = digits.trim_start_matches('0');
        let value = if value.is_empty() { "0" } else { value };
        // Below every letter and digit: a number sorts before words, a shorter one first.
        out.push(char::from_u32(0x01 + value.len().min(0x1e) as u32).unwrap_or('\u{1f}'));
        out.push_str(value);
        digits.clear();
    };
    for c in s.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut out);
        out.push(char::from_u32(letter_rank(c)).unwrap_or(c));
    }
    flush(&mut digits, &mut out);
    out
}

/// Compares two names as a Kazakh reader expects (see `sort_key`).
pub fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b))
}

/// An error with its causes, as one line: an HTTP client's own text says only "error sending
/// request"; the cause (refused, no route, TLS) is in its sources.
pub fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{compare, fold, sort_key};
    use std::cmp::Ordering;

    #[test]
    fn kazakh_order() {
        assert_eq!(compare("Әсем", "Бота"), Ordering::Less);
        assert_eq!(compare("Ақбота", "Аяулым"), Ordering::Less);
        assert_eq!(compare("Қарлығаш", "Күншуақ"), Ordering::Greater);
        assert_eq!(compare("«Ақбота»", "Аманат"), Ordering::Less);
        assert_eq!(compare("Іңкәр", "Ырыс"), Ordering::Greater);
        assert_eq!(compare("Ұлан", "Үміт"), Ordering::Less);
    }

    #[test]
    fn sort_keys_order_like_compare() {
        let mut names = vec!["Үміт", "Ақбота", "Әсем", "Іңкәр", "Аманат", "№ 12 «Бота»", "Ырыс", "Қарлығаш", "Күншуақ"];
        let mut by_key = names.clone();
        names.sort_by(|a, b| compare(a, b));
        by_key.sort_by_key(|n| sort_key(n).into_bytes());
        assert_eq!(names, by_key);
        assert_eq!(names[0], "№ 12 «Бота»");
        assert_eq!(names[1], "Ақбота");
    }

    #[test]
    fn numbers_in_names_sort_by_value() {
        let mut names = vec!["№ 11 «Ақбота»", "№ 2 «Бота»", "№ 101 бөбекжайы", "№ 2 «Ақбота»", "№ 02 «Айгөлек»", "Балапан"];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(names, vec!["№ 02 «Айгөлек»", "№ 2 «Ақбота»", "№ 2 «Бота»", "№ 11 «Ақбота»", "№ 101 бөбекжайы", "Балапан"]);
        let mut by_key = names.clone();
        by_key.reverse();
        by_key.sort_by_key(|n| sort_key(n).into_bytes());
        assert_eq!(by_key, names, "the stored key orders the same");
        assert_eq!(compare("1-топ", "10-топ"), Ordering::Less);
    }

    #[test]
    fn kazakh_letters_fold_both_ways() {
        assert_eq!(fold("АҚБОТА"), "ақбота");
        assert_eq!(fold("ӘҒҚҢӨҰҮҺІ"), "әғқңөұүһі");
        assert_eq!(fold("«Балдырған»  №12"), "балдырған 12");
        assert_eq!(fold("Ёлочка"), "елочка");
        assert_eq!(fold(""), "");
    }
}
