//! The fixed tables: regions, districts, settlements, streets, names of kindergartens and
//! groups. Real place names, plausible centres; the weights are rough populations so that
//! kindergartens and children land where people live.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlaceKind {
    City,
    Town,
    Village,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Place {
    pub kk: &'static str,
    pub ru: &'static str,
    pub kind: PlaceKind,
}

const fn city(kk: &'static str, ru: &'static str) -> Place {
    Place { kk, ru, kind: PlaceKind::City }
}
const fn town(kk: &'static str, ru: &'static str) -> Place {
    Place { kk, ru, kind: PlaceKind::Town }
}
const fn village(kk: &'static str, ru: &'static str) -> Place {
    Place { kk, ru, kind: PlaceKind::Village }
}

impl Place {
    pub(crate) fn label_kk(&self) -> String {
        match self.kind {
            PlaceKind::City => format!("{} қ.", self.kk),
            PlaceKind::Town => format!("{} кенті", self.kk),
            PlaceKind::Village => format!("{} ауылы", self.kk),
        }
    }
    pub(crate) fn label_ru(&self) -> String {
        match self.kind {
            PlaceKind::City => format!("г. {}", self.ru),
            PlaceKind::Town => format!("п. {}", self.ru),
            PlaceKind::Village => format!("с. {}", self.ru),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct DistrictDef {
    pub code: &'static str,
    pub kk: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Rough share of the region's people.
    pub weight: u32,
    /// A city (or a city's district): kindergartens within a few km of the centre.
    pub urban: bool,
    /// A district of a city (Astana, Almaty, Shymkent): addresses name the city and the district.
    pub city_district: bool,
    /// Landline area code, for kindergartens' phones.
    pub area: &'static str,
    /// Settlements, the centre first. Rural districts with only their centre get generic
    /// villages added at run time.
    pub places: &'static [Place],
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RegionDef {
    /// Prefix of application numbers, e.g. `VKO-2026-000123`.
    pub code: &'static str,
    pub kk: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    /// Rough population in thousands: the share of kindergartens and children.
    pub weight: u32,
    /// Share (per cent) of Kazakh-speaking families; drives names and languages.
    pub kk_share: u32,
    pub districts: &'static [DistrictDef],
}

macro_rules! d {
    ($code:expr, $kk:expr, $ru:expr, $en:expr, $lat:expr, $lon:expr, $w:expr, urban, $area:expr, $places:expr) => {
        DistrictDef { code: $code, kk: $kk, ru: $ru, en: $en, lat: $lat, lon: $lon, weight: $w, urban: true, city_district: false, area: $area, places: $places }
    };
    ($code:expr, $kk:expr, $ru:expr, $en:expr, $lat:expr, $lon:expr, $w:expr, citydistrict, $area:expr, $places:expr) => {
        DistrictDef { code: $code, kk: $kk, ru: $ru, en: $en, lat: $lat, lon: $lon, weight: $w, urban: true, city_district: true, area: $area, places: $places }
    };
    ($code:expr, $kk:expr, $ru:expr, $en:expr, $lat:expr, $lon:expr, $w:expr, rural, $area:expr, $places:expr) => {
        DistrictDef { code: $code, kk: $kk, ru: $ru, en: $en, lat: $lat, lon: $lon, weight: $w, urban: false, city_district: false, area: $area, places: $places }
    };
}

/// East Kazakhstan after the 2022 split (Semey and its districts went to Abai region).
pub(crate) static VKO_DISTRICTS: &[DistrictDef] = &[
    d!("oskemen", "Өскемен қаласы", "город Усть-Каменогорск", "Ust-Kamenogorsk (Oskemen)", 49.948, 82.628, 45, urban, "7232", &[city("Өскемен", "Усть-Каменогорск")]),
    d!("ridder", "Риддер қаласы", "город Риддер", "Ridder", 50.344, 83.513, 9, urban, "72336", &[city("Риддер", "Риддер")]),
    d!(
        "altai",
        "Алтай ауданы",
        "Алтайский район",
        "Altai District",
        49.724,
        84.274,
        9,
        rural,
        "72335",
        &[city("Алтай", "Алтай"), town("Серебрянск", "Серебрянск"), town("Жаңа Бұқтырма", "Новая Бухтарма"), village("Соловьёво", "Соловьёво")]
    ),
    d!(
        "glubokoe",
        "Глубокое ауданы",
        "Глубоковский район",
        "Glubokoye District",
        49.98,
        82.37,
        7,
        rural,
        "72331",
        &[town("Глубокое", "Глубокое"), town("Белоусовка", "Белоусовка"), town("Верхнеберёзовский", "Верхнеберёзовский"), village("Прапорщиково", "Прапорщиково")]
    ),
    d!(
        "shemonaikha",
        "Шемонаиха ауданы",
        "Шемонаихинский район",
        "Shemonaikha District",
        50.63,
        81.91,
        5,
        rural,
        "72332",
        &[city("Шемонаиха", "Шемонаиха"), town("Усть-Таловка", "Усть-Таловка"), town("Первомайский", "Первомайский"), village("Верх-Уба", "Верх-Уба")]
    ),
    d!(
        "zaisan",
        "Зайсан ауданы",
        "Зайсанский район",
        "Zaisan District",
        47.47,
        84.87,
        4,
        rural,
        "72340",
        &[city("Зайсан", "Зайсан"), village("Қаратал", "Каратал"), village("Біржан", "Биржан"), village("Сарытерек", "Сарытерек")]
    ),
    d!(
        "ulan",
        "Ұлан ауданы",
        "Уланский район",
        "Ulan District",
        49.49,
        82.98,
        4,
        rural,
        "72338",
        &[village("Қасым Қайсенов", "Касыма Кайсенова"), town("Асубұлақ", "Асубулак"), village("Таврия", "Таврия"), village("Бозанбай", "Бозанбай")]
    ),
    d!(
        "tarbagatai",
        "Тарбағатай ауданы",
        "Тарбагатайский район",
        "Tarbagatai District",
        47.61,
        84.07,
        4,
        rural,
        "72346",
        &[village("Ақжар", "Акжар"), village("Ақсуат", "Аксуат"), village("Қабанбай", "Кабанбай"), village("Құмкөл", "Кумколь")]
    ),
    d!(
        "katonkaragai",
        "Катонқарағай ауданы",
        "Катон-Карагайский район",
        "Katon-Karagay District",
        49.17,
        85.61,
        3,
        rural,
        "72342",
        &[village("Катонқарағай", "Катон-Карагай"), village("Үлкен Нарын", "Улкен Нарын"), village("Шыңғыстай", "Чингистай"), village("Ақмарал", "Акмарал")]
    ),
    d!(
        "kurshim",
        "Күршім ауданы",
        "Курчумский район",
        "Kurchum District",
        48.57,
        83.66,
        3,
        rural,
        "72339",
        &[village("Күршім", "Курчум"), village("Қалжыр", "Калжир"), village("Боран", "Боран")]
    ),
    d!(
        "samar",
        "Самар ауданы",
        "Самарский район",
        "Samar District",
        49.05,
        83.36,
        2,
        rural,
        "72348",
        &[village("Самар", "Самарское"), village("Көкжыра", "Кокжира"), village("Мариногорка", "Мариногорка")]
    ),
    d!(
        "markakol",
        "Марқакөл ауданы",
        "Маркакольский район",
        "Markakol District",
        48.43,
        85.08,
        2,
        rural,
        "72341",
        &[village("Теректі", "Теректы"), village("Үрунхай", "Урунхайка"), village("Қаратоғай", "Каратогай")]
    ),
];

const ASTANA: &[Place] = &[city("Астана", "Астана")];
const ALMATY: &[Place] = &[city("Алматы", "Алматы")];
const SHYMKENT: &[Place] = &[city("Шымкент", "Шымкент")];

pub(crate) static VKO: RegionDef = RegionDef {
    code: "VKO",
    kk: "Шығыс Қазақстан облысы",
    ru: "Восточно-Казахстанская область",
    en: "East Kazakhstan Region",
    weight: 720,
    kk_share: 70,
    districts: VKO_DISTRICTS,
};

/// The 17 regions and 3 cities of republican significance (2022 division).
pub(crate) static REGIONS: &[&RegionDef] = &[
    &RegionDef {
        code: "AST",
        kk: "Астана қаласы",
        ru: "город Астана",
        en: "Astana",
        weight: 1420,
        kk_share: 80,
        districts: &[
            d!("almaty", "Алматы ауданы", "район Алматы", "Almaty District", 51.150, 71.480, 5, citydistrict, "7172", ASTANA),
            d!("baikonyr", "Байқоңыр ауданы", "район Байконыр", "Baikonyr District", 51.170, 71.420, 4, citydistrict, "7172", ASTANA),
            d!("esil", "Есіл ауданы", "район Есиль", "Yesil District", 51.100, 71.420, 5, citydistrict, "7172", ASTANA),
            d!("saryarka", "Сарыарқа ауданы", "район Сарыарка", "Saryarka District", 51.180, 71.380, 4, citydistrict, "7172", ASTANA),
            d!("nura", "Нұра ауданы", "район Нура", "Nura District", 51.070, 71.500, 3, citydistrict, "7172", ASTANA),
        ],
    },
    &RegionDef {
        code: "ALA",
        kk: "Алматы қаласы",
        ru: "город Алматы",
        en: "Almaty",
        weight: 2230,
        kk_share: 60,
        districts: &[
            d!("almaly", "Алмалы ауданы", "Алмалинский район", "Almaly District", 43.255, 76.905, 3, citydistrict, "727", ALMATY),
            d!("auezov", "Әуезов ауданы", "Ауэзовский район", "Auezov District", 43.225, 76.850, 4, citydistrict, "727", ALMATY),
            d!("bostandyk", "Бостандық ауданы", "Бостандыкский район", "Bostandyk District", 43.205, 76.915, 4, citydistrict, "727", ALMATY),
            d!("medeu", "Медеу ауданы", "Медеуский район", "Medeu District", 43.255, 76.975, 2, citydistrict, "727", ALMATY),
            d!("alatau", "Алатау ауданы", "Алатауский район", "Alatau District", 43.285, 76.800, 4, citydistrict, "727", ALMATY),
            d!("zhetysu", "Жетісу ауданы", "Жетысуский район", "Zhetysu District", 43.305, 76.930, 2, citydistrict, "727", ALMATY),
            d!("turksib", "Түрксіб ауданы", "Турксибский район", "Turksib District", 43.345, 76.960, 3, citydistrict, "727", ALMATY),
            d!("nauryzbai", "Наурызбай ауданы", "Наурызбайский район", "Nauryzbay District", 43.180, 76.800, 3, citydistrict, "727", ALMATY),
        ],
    },
    &RegionDef {
        code: "SHY",
        kk: "Шымкент қаласы",
        ru: "город Шымкент",
        en: "Shymkent",
        weight: 1220,
        kk_share: 85,
        districts: &[
            d!("abai", "Абай ауданы", "Абайский район", "Abay District", 42.335, 69.560, 3, citydistrict, "7252", SHYMKENT),
            d!("alfarabi", "Әл-Фараби ауданы", "Аль-Фарабийский район", "Al-Farabi District", 42.320, 69.600, 3, citydistrict, "7252", SHYMKENT),
            d!("enbekshi", "Еңбекші ауданы", "Енбекшинский район", "Yenbekshi District", 42.300, 69.630, 3, citydistrict, "7252", SHYMKENT),
            d!("karatau", "Қаратау ауданы", "Каратауский район", "Karatau District", 42.360, 69.640, 3, citydistrict, "7252", SHYMKENT),
            d!("turan", "Тұран ауданы", "Туранский район", "Turan District", 42.385, 69.550, 2, citydistrict, "7252", SHYMKENT),
        ],
    },
    &RegionDef {
        code: "ABA",
        kk: "Абай облысы",
        ru: "область Абай",
        en: "Abai Region",
        weight: 600,
        kk_share: 75,
        districts: &[
            d!("semei", "Семей қаласы", "город Семей", "Semey", 50.411, 80.227, 10, urban, "7222", &[city("Семей", "Семей")]),
            d!("kurchatov", "Курчатов қаласы", "город Курчатов", "Kurchatov", 50.756, 78.540, 1, urban, "72251", &[city("Курчатов", "Курчатов")]),
            d!("ayagoz", "Аягөз ауданы", "Аягозский район", "Ayagoz District", 47.965, 80.439, 3, rural, "72237", &[city("Аягөз", "Аягоз")]),
            d!("urzhar", "Үржар ауданы", "Урджарский район", "Urzhar District", 47.093, 81.630, 3, rural, "72230", &[village("Үржар", "Урджар")]),
            d!("zharma", "Жарма ауданы", "Жарминский район", "Zharma District", 49.330, 81.580, 2, rural, "72234", &[town("Қалбатау", "Калбатау")]),
            d!("borodulikha", "Бородулиха ауданы", "Бородулихинский район", "Borodulikha District", 50.720, 80.930, 2, rural, "72233", &[village("Бородулиха", "Бородулиха")]),
        ],
    },
    &RegionDef {
        code: "AKM",
        kk: "Ақмола облысы",
        ru: "Акмолинская область",
        en: "Akmola Region",
        weight: 790,
        kk_share: 55,
        districts: &[
            d!("kokshetau", "Көкшетау қаласы", "город Кокшетау", "Kokshetau", 53.283, 69.397, 8, urban, "7162", &[city("Көкшетау", "Кокшетау")]),
            d!("stepnogorsk", "Степногорск қаласы", "город Степногорск", "Stepnogorsk", 52.350, 71.889, 3, urban, "71645", &[city("Степногорск", "Степногорск")]),
            d!("burabai", "Бурабай ауданы", "Бурабайский район", "Burabay District", 52.933, 70.188, 3, rural, "71636", &[city("Щучинск", "Щучинск")]),
            d!("tselinograd", "Целиноград ауданы", "Целиноградский район", "Tselinograd District", 51.000, 71.220, 3, rural, "71651", &[village("Ақмол", "Акмол")]),
            d!("atbasar", "Атбасар ауданы", "Атбасарский район", "Atbasar District", 51.810, 68.360, 2, rural, "71643", &[city("Атбасар", "Атбасар")]),
        ],
    },
    &RegionDef {
        code: "AKT",
        kk: "Ақтөбе облысы",
        ru: "Актюбинская область",
        en: "Aktobe Region",
        weight: 930,
        kk_share: 85,
        districts: &[
            d!("aktobe", "Ақтөбе қаласы", "город Актобе", "Aktobe", 50.283, 57.167, 12, urban, "7132", &[city("Ақтөбе", "Актобе")]),
            d!("khromtau", "Хромтау ауданы", "Хромтауский район", "Khromtau District", 50.250, 58.450, 2, rural, "71336", &[city("Хромтау", "Хромтау")]),
            d!("mugalzhar", "Мұғалжар ауданы", "Мугалжарский район", "Mugalzhar District", 49.470, 57.420, 2, rural, "71333", &[city("Қандыағаш", "Кандыагаш")]),
            d!("shalkar", "Шалқар ауданы", "Шалкарский район", "Shalkar District", 47.830, 59.620, 1, rural, "71335", &[city("Шалқар", "Шалкар")]),
        ],
    },
    &RegionDef {
        code: "ALM",
        kk: "Алматы облысы",
        ru: "Алматинская область",
        en: "Almaty Region",
        weight: 1530,
        kk_share: 75,
        districts: &[
            d!("konaev", "Қонаев қаласы", "город Конаев", "Konaev", 43.867, 77.067, 3, urban, "72772", &[city("Қонаев", "Конаев")]),
            d!("talgar", "Талғар ауданы", "Талгарский район", "Talgar District", 43.300, 77.240, 4, rural, "72774", &[city("Талғар", "Талгар")]),
            d!("karasai", "Қарасай ауданы", "Карасайский район", "Karasay District", 43.200, 76.620, 5, rural, "72771", &[city("Қаскелең", "Каскелен")]),
            d!("enbekshikazakh", "Еңбекшіқазақ ауданы", "Енбекшиказахский район", "Enbekshikazakh District", 43.355, 77.450, 4, rural, "72775", &[city("Есік", "Есик")]),
            d!("ile", "Іле ауданы", "Илийский район", "Ile District", 43.410, 76.990, 4, rural, "72752", &[village("Өтеген батыр", "Отеген батыр")]),
        ],
    },
    &RegionDef {
        code: "ATY",
        kk: "Атырау облысы",
        ru: "Атырауская область",
        en: "Atyrau Region",
        weight: 700,
        kk_share: 92,
        districts: &[
            d!("atyrau", "Атырау қаласы", "город Атырау", "Atyrau", 47.117, 51.883, 10, urban, "7122", &[city("Атырау", "Атырау")]),
            d!("zhylyoi", "Жылыой ауданы", "Жылыойский район", "Zhylyoi District", 46.950, 54.020, 3, rural, "71237", &[city("Құлсары", "Кульсары")]),
            d!("makat", "Мақат ауданы", "Макатский район", "Makat District", 47.650, 53.320, 1, rural, "71239", &[town("Мақат", "Макат")]),
            d!("inder", "Индер ауданы", "Индерский район", "Inder District", 48.550, 51.780, 1, rural, "71234", &[town("Индербор", "Индербор")]),
        ],
    },
    &VKO,
    &RegionDef {
        code: "ZHA",
        kk: "Жамбыл облысы",
        ru: "Жамбылская область",
        en: "Jambyl Region",
        weight: 1220,
        kk_share: 82,
        districts: &[
            d!("taraz", "Тараз қаласы", "город Тараз", "Taraz", 42.900, 71.367, 8, urban, "7262", &[city("Тараз", "Тараз")]),
            d!("shu", "Шу ауданы", "Шуский район", "Shu District", 43.600, 73.760, 2, rural, "72643", &[city("Шу", "Шу")]),
            d!("korday", "Қордай ауданы", "Кордайский район", "Korday District", 43.030, 74.710, 3, rural, "72636", &[village("Қордай", "Кордай")]),
            d!("baizak", "Байзақ ауданы", "Байзакский район", "Baizak District", 43.010, 71.500, 2, rural, "72637", &[village("Сарыкемер", "Сарыкемер")]),
            d!("talas", "Талас ауданы", "Таласский район", "Talas District", 43.180, 70.470, 1, rural, "72644", &[city("Қаратау", "Каратау")]),
        ],
    },
    &RegionDef {
        code: "ZHE",
        kk: "Жетісу облысы",
        ru: "область Жетысу",
        en: "Zhetysu Region",
        weight: 700,
        kk_share: 75,
        districts: &[
            d!("taldykorgan", "Талдықорған қаласы", "город Талдыкорган", "Taldykorgan", 45.017, 78.383, 6, urban, "7282", &[city("Талдықорған", "Талдыкорган")]),
            d!("tekeli", "Текелі қаласы", "город Текели", "Tekeli", 44.830, 78.820, 1, urban, "72835", &[city("Текелі", "Текели")]),
            d!("panfilov", "Панфилов ауданы", "Панфиловский район", "Panfilov District", 44.170, 80.000, 3, rural, "72831", &[city("Жаркент", "Жаркент")]),
            d!("sarkand", "Сарқан ауданы", "Саркандский район", "Sarkand District", 45.410, 79.920, 1, rural, "72839", &[city("Сарқан", "Сарканд")]),
            d!("karatal", "Қаратал ауданы", "Каратальский район", "Karatal District", 45.250, 77.980, 2, rural, "72834", &[city("Үштөбе", "Уштобе")]),
        ],
    },
    &RegionDef {
        code: "KAR",
        kk: "Қарағанды облысы",
        ru: "Карагандинская область",
        en: "Karaganda Region",
        weight: 1130,
        kk_share: 55,
        districts: &[
            d!("karaganda", "Қарағанды қаласы", "город Караганда", "Karaganda", 49.806, 73.085, 12, urban, "7212", &[city("Қарағанды", "Караганда")]),
            d!("temirtau", "Теміртау қаласы", "город Темиртау", "Temirtau", 50.054, 72.964, 4, urban, "7213", &[city("Теміртау", "Темиртау")]),
            d!("balkhash", "Балқаш қаласы", "город Балхаш", "Balkhash", 46.848, 74.995, 2, urban, "71036", &[city("Балқаш", "Балхаш")]),
            d!("shakhtinsk", "Шахтинск қаласы", "город Шахтинск", "Shakhtinsk", 49.710, 72.590, 1, urban, "72156", &[city("Шахтинск", "Шахтинск")]),
            d!("saran", "Саран қаласы", "город Сарань", "Saran", 49.790, 72.840, 1, urban, "72137", &[city("Саран", "Сарань")]),
            d!("bukharzhyrau", "Бұқар жырау ауданы", "Бухар-Жырауский район", "Bukhar-Zhyrau District", 50.060, 73.720, 2, rural, "72154", &[town("Ботақара", "Ботакара")]),
        ],
    },
    &RegionDef {
        code: "KOS",
        kk: "Қостанай облысы",
        ru: "Костанайская область",
        en: "Kostanay Region",
        weight: 830,
        kk_share: 45,
        districts: &[
            d!("kostanay", "Қостанай қаласы", "город Костанай", "Kostanay", 53.214, 63.625, 8, urban, "7142", &[city("Қостанай", "Костанай")]),
            d!("rudny", "Рудный қаласы", "город Рудный", "Rudny", 52.970, 63.120, 4, urban, "71431", &[city("Рудный", "Рудный")]),
            d!("lisakovsk", "Лисаков қаласы", "город Лисаковск", "Lisakovsk", 52.540, 62.490, 1, urban, "71433", &[city("Лисаков", "Лисаковск")]),
            d!("arkalyk", "Арқалық қаласы", "город Аркалык", "Arkalyk", 50.250, 66.920, 1, urban, "71430", &[city("Арқалық", "Аркалык")]),
            d!("karabalyk", "Қарабалық ауданы", "Карабалыкский район", "Karabalyk District", 53.750, 62.050, 1, rural, "71441", &[town("Қарабалық", "Карабалык")]),
        ],
    },
    &RegionDef {
        code: "KZY",
        kk: "Қызылорда облысы",
        ru: "Кызылординская область",
        en: "Kyzylorda Region",
        weight: 830,
        kk_share: 95,
        districts: &[
            d!("kyzylorda", "Қызылорда қаласы", "город Кызылорда", "Kyzylorda", 44.853, 65.509, 8, urban, "7242", &[city("Қызылорда", "Кызылорда")]),
            d!("aral", "Арал ауданы", "Аральский район", "Aral District", 46.800, 61.670, 2, rural, "72433", &[city("Арал", "Аральск")]),
            d!("kazaly", "Қазалы ауданы", "Казалинский район", "Kazaly District", 45.850, 62.150, 2, rural, "72438", &[town("Әйтеке би", "Айтеке би")]),
            d!("shieli", "Шиелі ауданы", "Шиелийский район", "Shieli District", 44.170, 66.750, 2, rural, "72432", &[village("Шиелі", "Шиели")]),
            d!("zhanakorgan", "Жаңақорған ауданы", "Жанакорганский район", "Zhanakorgan District", 43.910, 67.250, 2, rural, "72435", &[town("Жаңақорған", "Жанакорган")]),
        ],
    },
    &RegionDef {
        code: "MAN",
        kk: "Маңғыстау облысы",
        ru: "Мангистауская область",
        en: "Mangystau Region",
        weight: 770,
        kk_share: 90,
        districts: &[
            d!("aktau", "Ақтау қаласы", "город Актау", "Aktau", 43.650, 51.160, 8, urban, "7292", &[city("Ақтау", "Актау")]),
            d!("zhanaozen", "Жаңаөзен қаласы", "город Жанаозен", "Zhanaozen", 43.340, 52.860, 4, urban, "72934", &[city("Жаңаөзен", "Жанаозен")]),
            d!("munaily", "Мұнайлы ауданы", "Мунайлинский район", "Munaily District", 43.690, 51.270, 4, rural, "72931", &[village("Маңғыстау", "Мангистау")]),
            d!("beineu", "Бейнеу ауданы", "Бейнеуский район", "Beineu District", 45.320, 55.200, 2, rural, "72932", &[village("Бейнеу", "Бейнеу")]),
            d!("tupkaragan", "Түпқараған ауданы", "Тупкараганский район", "Tupkaragan District", 44.510, 50.260, 1, rural, "72938", &[city("Форт-Шевченко", "Форт-Шевченко")]),
        ],
    },
    &RegionDef {
        code: "PAV",
        kk: "Павлодар облысы",
        ru: "Павлодарская область",
        en: "Pavlodar Region",
        weight: 750,
        kk_share: 50,
        districts: &[
            d!("pavlodar", "Павлодар қаласы", "город Павлодар", "Pavlodar", 52.287, 76.967, 10, urban, "7182", &[city("Павлодар", "Павлодар")]),
            d!("ekibastuz", "Екібастұз қаласы", "город Экибастуз", "Ekibastuz", 51.730, 75.320, 4, urban, "7187", &[city("Екібастұз", "Экибастуз")]),
            d!("aksu", "Ақсу қаласы", "город Аксу", "Aksu", 52.040, 76.930, 2, urban, "71837", &[city("Ақсу", "Аксу")]),
            d!("ertis", "Ертіс ауданы", "Иртышский район", "Irtysh District", 53.330, 75.460, 1, rural, "71832", &[village("Ертіс", "Иртышск")]),
        ],
    },
    &RegionDef {
        code: "SKO",
        kk: "Солтүстік Қазақстан облысы",
        ru: "Северо-Казахстанская область",
        en: "North Kazakhstan Region",
        weight: 530,
        kk_share: 45,
        districts: &[
            d!("petropavl", "Петропавл қаласы", "город Петропавловск", "Petropavl", 54.867, 69.150, 8, urban, "7152", &[city("Петропавл", "Петропавловск")]),
            d!("magzhan", "Мағжан Жұмабаев ауданы", "район Магжана Жумабаева", "Magzhan Zhumabayev District", 54.900, 70.440, 2, rural, "71531", &[city("Булаев", "Булаево")]),
            d!("shalakyn", "Шал ақын ауданы", "район Шал акына", "Shal Akyn District", 53.880, 67.420, 1, rural, "71534", &[city("Сергеев", "Сергеевка")]),
            d!("mamlyut", "Мамлют ауданы", "Мамлютский район", "Mamlyut District", 54.940, 68.540, 1, rural, "71541", &[city("Мамлют", "Мамлютка")]),
        ],
    },
    &RegionDef {
        code: "TUR",
        kk: "Түркістан облысы",
        ru: "Туркестанская область",
        en: "Turkistan Region",
        weight: 2120,
        kk_share: 88,
        districts: &[
            d!("turkistan", "Түркістан қаласы", "город Туркестан", "Turkistan", 43.297, 68.252, 5, urban, "72533", &[city("Түркістан", "Туркестан")]),
            d!("kentau", "Кентау қаласы", "город Кентау", "Kentau", 43.520, 68.500, 2, urban, "72536", &[city("Кентау", "Кентау")]),
            d!("arys", "Арыс қаласы", "город Арыс", "Arys", 42.430, 68.800, 1, urban, "72540", &[city("Арыс", "Арыс")]),
            d!("saryagash", "Сарыағаш ауданы", "Сарыагашский район", "Saryagash District", 41.460, 69.170, 4, rural, "72537", &[city("Сарыағаш", "Сарыагаш")]),
            d!("zhetisai", "Жетісай ауданы", "Жетысайский район", "Zhetysai District", 40.780, 68.330, 4, rural, "72534", &[city("Жетісай", "Жетысай")]),
            d!("tolebi", "Төле би ауданы", "Толебийский район", "Tole Bi District", 42.180, 69.880, 3, rural, "72547", &[city("Ленгер", "Ленгер")]),
            d!("ordabasy", "Ордабасы ауданы", "Ордабасинский район", "Ordabasy District", 42.600, 69.260, 3, rural, "72530", &[village("Темірлан", "Темирлановка")]),
        ],
    },
    &RegionDef {
        code: "ULY",
        kk: "Ұлытау облысы",
        ru: "Улытауская область",
        en: "Ulytau Region",
        weight: 220,
        kk_share: 80,
        districts: &[
            d!("zhezkazgan", "Жезқазған қаласы", "город Жезказган", "Zhezkazgan", 47.800, 67.710, 4, urban, "7102", &[city("Жезқазған", "Жезказган")]),
            d!("satbayev", "Сәтбаев қаласы", "город Сатпаев", "Satbayev", 47.900, 67.540, 2, urban, "71063", &[city("Сәтбаев", "Сатпаев")]),
            d!("karazhal", "Қаражал қаласы", "город Каражал", "Karazhal", 48.000, 70.790, 1, urban, "71032", &[city("Қаражал", "Каражал")]),
            d!("ulytau", "Ұлытау ауданы", "Улытауский район", "Ulytau District", 48.650, 67.000, 1, rural, "71035", &[village("Ұлытау", "Улытау")]),
        ],
    },
    &RegionDef {
        code: "ZKO",
        kk: "Батыс Қазақстан облысы",
        ru: "Западно-Казахстанская область",
        en: "West Kazakhstan Region",
        weight: 690,
        kk_share: 78,
        districts: &[
            d!("oral", "Орал қаласы", "город Уральск", "Oral", 51.233, 51.367, 8, urban, "7112", &[city("Орал", "Уральск")]),
            d!("burlin", "Бөрлі ауданы", "Бурлинский район", "Burlin District", 51.170, 53.000, 2, rural, "71133", &[city("Ақсай", "Аксай")]),
            d!("baiterek", "Бәйтерек ауданы", "Байтерекский район", "Baiterek District", 51.200, 50.850, 2, rural, "71130", &[village("Перемётное", "Перемётное")]),
            d!("zhanibek", "Жәнібек ауданы", "Жанибекский район", "Zhanibek District", 49.420, 46.850, 1, rural, "71135", &[village("Жәнібек", "Жанибек")]),
        ],
    },
];

/// Villages added to rural districts whose table lists only the centre.
pub(crate) static GENERIC_VILLAGES: &[Place] = &[
    village("Ақсу", "Аксу"),
    village("Жаңаауыл", "Жанаауыл"),
    village("Қызылту", "Кызылту"),
    village("Береке", "Береке"),
    village("Бірлік", "Бирлик"),
    village("Достық", "Достык"),
    village("Ынтымақ", "Ынтымак"),
    village("Көктерек", "Коктерек"),
    village("Қаратөбе", "Каратобе"),
    village("Алғабас", "Алгабас"),
    village("Жаңатұрмыс", "Жанатурмыс"),
];

/// Streets of Ust-Kamenogorsk (kk, ru).
pub(crate) static OSKEMEN_STREETS: &[(&str, &str)] = &[
    ("Абай даңғылы", "пр. Абая"),
    ("Қазыбек би көшесі", "ул. Казыбек би"),
    ("Ушанов көшесі", "ул. Ушанова"),
    ("Бажов көшесі", "ул. Бажова"),
    ("Протозанов көшесі", "ул. Протозанова"),
    ("Тәуелсіздік даңғылы", "пр. Независимости"),
    ("Қабанбай батыр көшесі", "ул. Кабанбай батыра"),
    ("Сәтбаев даңғылы", "пр. Сатпаева"),
    ("Шәкәрім даңғылы", "пр. Шакарима"),
    ("Гоголь көшесі", "ул. Гоголя"),
    ("Торайғыров көшесі", "ул. Торайгырова"),
    ("Потанин көшесі", "ул. Потанина"),
    ("Қанай би көшесі", "ул. Каная би"),
    ("Серікбаев көшесі", "ул. Серикбаева"),
    ("Құрманғазы көшесі", "ул. Курмангазы"),
    ("Утепов көшесі", "ул. Утепова"),
    ("Головков көшесі", "ул. Головкова"),
    ("Абылай хан көшесі", "ул. Абылай хана"),
];

/// Streets found in nearly every town and village (kk, ru).
pub(crate) static GENERIC_STREETS: &[(&str, &str)] = &[
    ("Абай көшесі", "ул. Абая"),
    ("Тәуелсіздік көшесі", "ул. Независимости"),
    ("Бейбітшілік көшесі", "ул. Мира"),
    ("Жеңіс көшесі", "ул. Победы"),
    ("Мектеп көшесі", "ул. Школьная"),
    ("Орталық көшесі", "ул. Центральная"),
    ("Достық көшесі", "ул. Дружбы"),
    ("Жастар көшесі", "ул. Молодёжная"),
    ("Абылай хан көшесі", "ул. Абылай хана"),
    ("Сәтбаев көшесі", "ул. Сатпаева"),
    ("Гагарин көшесі", "ул. Гагарина"),
    ("Пушкин көшесі", "ул. Пушкина"),
    ("Әуезов көшесі", "ул. Ауэзова"),
    ("Жамбыл көшесі", "ул. Жамбыла"),
    ("Бауыржан Момышұлы көшесі", "ул. Бауыржана Момышулы"),
    ("Құнанбаев көшесі", "ул. Кунанбаева"),
    ("Шоқан Уәлиханов көшесі", "ул. Чокана Валиханова"),
    ("Төле би көшесі", "ул. Толе би"),
    ("Бөгенбай батыр көшесі", "ул. Богенбай батыра"),
    ("Наурыз көшесі", "ул. Наурыз"),
];

pub(crate) static KINDERGARTEN_NAMES_KK: &[&str] = &[
    "Ақбота",
    "Балдырған",
    "Айгөлек",
    "Қарлығаш",
    "Балапан",
    "Нұрай",
    "Күншуақ",
    "Ақжелкен",
    "Еркетай",
    "Шұғыла",
    "Болашақ",
    "Айналайын",
    "Бөбек",
    "Жұлдыз",
    "Ақниет",
    "Құлыншақ",
    "Ертөстік",
    "Балбөбек",
    "Арай",
    "Таңшолпан",
];

pub(crate) static KINDERGARTEN_NAMES_RU: &[&str] =
    &["Солнышко", "Берёзка", "Теремок", "Радуга", "Колокольчик", "Ромашка", "Сказка", "Алёнушка", "Светлячок", "Улыбка", "Золотой ключик", "Малыш"];

pub(crate) static GROUP_NAMES_KK: &[&str] =
    &["Балапан", "Қарлығаш", "Жұлдыз", "Бөбек", "Ботақан", "Құлыншақ", "Айгөлек", "Балдырған", "Нұрсәуле", "Таңшолпан", "Күншуақ", "Ақбота", "Шұғыла", "Еркетай"];

pub(crate) static GROUP_NAMES_RU: &[&str] =
    &["Звёздочка", "Пчёлка", "Солнышко", "Капелька", "Ромашка", "Непоседы", "Лучик", "Гномики", "Улыбка", "Дельфинчик", "Колобок", "Теремок", "Ладушки", "Почемучки"];

pub(crate) static PROGRAMMES: &[&str] = &[
    "Мемлекеттік жалпыға міндетті мектепке дейінгі тәрбие мен оқыту стандарты",
    "«Зерек бала» бағдарламасы",
    "Монтессори элементтері",
    "Ағылшын тілі үйірмесі",
    "Робототехника негіздері",
    "Логопедтік топ",
];

pub(crate) static EQUIPMENT: &[&str] = &["Музыка залы", "Спорт залы", "Бассейн", "Медициналық кабинет", "Интерактивті тақта", "Ойын алаңы", "Логопед кабинеті", "Сенсорлық бөлме"];

/// Mobile operator codes (Beeline, Kcell/Activ, Tele2/Altel) parents' numbers start with.
pub(crate) static MOBILE_CODES: &[u32] = &[700, 701, 702, 703, 704, 705, 706, 707, 708, 747, 771, 775, 776, 777, 778];

pub(crate) static MAIL_DOMAINS: &[&str] = &["mail.ru", "gmail.com", "mail.kz", "inbox.ru", "yandex.kz", "bk.ru", "list.ru"];
