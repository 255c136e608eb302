//! People's names: Kazakh and Russian families, sex-correct forms, patronymics, and the Latin
//! spelling used in e-mail addresses.

pub(crate) static KK_SURNAMES: &[&str] = &[
    "Нұрланов",
    "Серікбаев",
    "Жұмабеков",
    "Әбдірахманов",
    "Оспанов",
    "Төлеген",
    "Қасымов",
    "Ахметов",
    "Омаров",
    "Бекмағамбетов",
    "Мұқанов",
    "Ермеков",
    "Тұрсынбаев",
    "Сәрсенбаев",
    "Ибраимов",
    "Жақыпов",
    "Қалиев",
    "Байжанов",
    "Мұратбек",
    "Ержанов",
    "Сұлтанбеков",
    "Кенжебаев",
    "Әлімжанов",
    "Досымов",
    "Нұрғалиев",
    "Смағұлов",
    "Рахымжанов",
    "Есенов",
    "Жексенбаев",
    "Сейітқали",
    "Бейсенов",
    "Темірбеков",
    "Ақылбеков",
    "Әбілқасымов",
    "Қуанышев",
];

pub(crate) static RU_SURNAMES: &[&str] = &[
    "Иванов",
    "Петров",
    "Ковалёв",
    "Смирнов",
    "Попов",
    "Кузнецов",
    "Соколов",
    "Васильев",
    "Морозов",
    "Новиков",
    "Фёдоров",
    "Волков",
    "Лебедев",
    "Козлов",
    "Егоров",
    "Павлов",
    "Сидоренко",
    "Бондаренко",
    "Шевченко",
    "Ткаченко",
    "Белов",
    "Макаров",
    "Зайцев",
    "Гончаров",
    "Никитин",
    "Орлов",
    "Медведев",
    "Киселёв",
    "Тарасов",
    "Ковальский",
    "Крюков",
    "Шубин",
];

/// Names of people born 1975–2003.
pub(crate) static KK_ADULT_MALE: &[&str] = &[
    "Нұрлан",
    "Ерлан",
    "Серік",
    "Бауыржан",
    "Данияр",
    "Арман",
    "Мейрамбек",
    "Қайрат",
    "Асхат",
    "Ерболат",
    "Жандос",
    "Ғалым",
    "Талғат",
    "Нұржан",
    "Ержан",
    "Дәурен",
    "Мұрат",
    "Руслан",
    "Ербол",
    "Самат",
    "Бекзат",
    "Әсет",
    "Ернар",
    "Азамат",
    "Думан",
];
pub(crate) static KK_ADULT_FEMALE: &[&str] = &[
    "Гүлнар",
    "Сәуле",
    "Жанар",
    "Әйгерім",
    "Гүлмира",
    "Айгүл",
    "Динара",
    "Ботагөз",
    "Салтанат",
    "Мөлдір",
    "Назгүл",
    "Ақмарал",
    "Жанат",
    "Анар",
    "Әсел",
    "Мадина",
    "Гаухар",
    "Ләззат",
    "Шынар",
    "Айнұр",
    "Жазира",
    "Балжан",
    "Аружан",
    "Дана",
    "Гүлжан",
];

/// Names of children born in the last seven years.
pub(crate) static KK_CHILD_MALE: &[&str] = &[
    "Әлихан",
    "Нұрислам",
    "Ерасыл",
    "Айсұлтан",
    "Алдияр",
    "Нұрсұлтан",
    "Ернұр",
    "Әли",
    "Рамазан",
    "Темірлан",
    "Ислам",
    "Санжар",
    "Мұхаммед",
    "Әмір",
    "Алинұр",
    "Дамир",
    "Ақжол",
    "Жансерік",
    "Бексұлтан",
    "Омар",
    "Әмірхан",
    "Ансар",
    "Айдос",
    "Нұрали",
    "Райымбек",
    "Абылай",
    "Ғалым",
];
pub(crate) static KK_CHILD_FEMALE: &[&str] = &[
    "Айзере",
    "Інжу",
    "Аружан",
    "Медина",
    "Ұлжан",
    "Айару",
    "Жансая",
    "Томирис",
    "Аяулым",
    "Айша",
    "Нұрай",
    "Дана",
    "Амина",
    "Әсем",
    "Айлин",
    "Раяна",
    "Асылым",
    "Жасмин",
    "Ақбота",
    "Назерке",
    "Балнұр",
    "Айым",
    "Мерей",
    "Сафия",
    "Іңкәр",
    "Көркем",
];

/// Russian men's names with the patronymics they give (son's, daughter's).
pub(crate) static RU_ADULT_MALE: &[(&str, &str, &str)] = &[
    ("Андрей", "Андреевич", "Андреевна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Александр", "Александрович", "Александровна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Виталий", "Витальевич", "Витальевна"),
    ("Павел", "Павлович", "Павловна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Роман", "Романович", "Романовна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Артём", "Артёмович", "Артёмовна"),
];
pub(crate) static RU_ADULT_FEMALE: &[&str] = &[
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Екатерина",
    "Анастасия",
    "Юлия",
    "Ирина",
    "Светлана",
    "Марина",
    "Анна",
    "Кристина",
    "Оксана",
    "Мария",
    "Алёна",
    "Евгения",
    "Валентина",
];
pub(crate) static RU_CHILD_MALE: &[&str] =
    &["Артём", "Михаил", "Александр", "Максим", "Лев", "Матвей", "Марк", "Иван", "Даниил", "Тимофей", "Кирилл", "Дмитрий", "Никита", "Егор", "Роман", "Фёдор", "Мирон"];
pub(crate) static RU_CHILD_FEMALE: &[&str] =
    &["София", "Анна", "Мария", "Алиса", "Ева", "Виктория", "Полина", "Варвара", "Вероника", "Анастасия", "Дарья", "Милана", "Ксения", "Арина", "Василиса", "Ульяна"];

/// The woman's form of a surname: Нұрланов → Нұрланова, Ковальский → Ковальская;
/// Төлеген, Сидоренко stay as they are.
pub(crate) fn feminine(surname: &str) -> String {
    if let Some(stem) = surname.strip_suffix("ский") {
        return format!("{stem}ская");
    }
    if ["ов", "ев", "ёв", "ин"].iter().any(|s| surname.ends_with(s)) {
        return format!("{surname}а");
    }
    surname.to_string()
}

/// Kazakh letters as Russian-style documents spell them (Серік → Серик).
fn kazakh_to_russian(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ә' => 'а',
            'Ә' => 'А',
            'ғ' => 'г',
            'Ғ' => 'Г',
            'қ' => 'к',
            'Қ' => 'К',
            'ң' => 'н',
            'ө' => 'о',
            'Ө' => 'О',
            'ұ' | 'ү' => 'у',
            'Ұ' | 'Ү' => 'У',
            'һ' => 'х',
            'і' => 'и',
            'І' => 'И',
            other => other,
        })
        .collect()
}

/// A Russian-style patronymic from a Kazakh name (Серік → Серикович), or None when the name
/// ends in a vowel and the Kazakh form reads better.
pub(crate) fn russian_style_patronymic(father: &str, female: bool) -> Option<String> {
    let base = kazakh_to_russian(father);
    let last = base.chars().last()?;
    if "аеёиоуыэюя".contains(last) {
        return None;
    }
    if let Some(stem) = base.strip_suffix('й') {
        return Some(format!("{stem}{}", if female { "евна" } else { "евич" }));
    }
    Some(format!("{base}{}", if female { "овна" } else { "ович" }))
}

/// Kazakh patronymic, written as one word as in today's documents: Нұрланұлы, Нұрланқызы.
pub(crate) fn kazakh_patronymic(father: &str, female: bool) -> String {
    format!("{father}{}", if female { "қызы" } else { "ұлы" })
}

/// Latin letters for e-mail addresses and the like: lower case, only a–z and 0–9.
pub(crate) fn latin(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(lower) {
        let t: &str = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'і' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "iu",
            'я' => "ia",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

/// Lower case for the letters of the tables (Cyrillic with the Kazakh letters, ASCII):
/// cheaper than `char::to_lowercase`, which matters at national scale.
fn lower(c: char) -> char {
    match c {
        'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
        'Ё' => 'ё',
        'Ә' => 'ә',
        'Ғ' => 'ғ',
        'Қ' => 'қ',
        'Ң' => 'ң',
        'Ө' => 'ө',
        'Ұ' => 'ұ',
        'Ү' => 'ү',
        'Һ' => 'һ',
        'І' => 'і',
        c => c.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(feminine("Нұрланов"), "Нұрланова");
        assert_eq!(feminine("Ковальский"), "Ковальская");
        assert_eq!(feminine("Төлеген"), "Төлеген");
        assert_eq!(feminine("Сидоренко"), "Сидоренко");
        assert_eq!(russian_style_patronymic("Серік", false).as_deref(), Some("Серикович"));
        assert_eq!(russian_style_patronymic("Нұрлан", true).as_deref(), Some("Нурлановна"));
        assert_eq!(russian_style_patronymic("Әли", true), None);
        assert_eq!(kazakh_patronymic("Ерлан", true), "Ерланқызы");
        assert_eq!(latin("Ақбота"), "akbota");
        assert_eq!(latin("Золотой ключик"), "zolotoikliuchik");
        assert_eq!(latin("ӘЛИХАН Ёлкин Z9"), "alikhanelkinz9");
    }
}
