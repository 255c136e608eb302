//! The Kazakh screens use the seed guide's words: every label listed in `seed-labels.kk.txt`
//! is in the Kazakh locale, and the kinds of kindergarten are spelt one way everywhere.

fn values() -> String {
    include_str!("../locales/kk.ftl").lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once(" = ").map(|(_, v)| v)).collect::<Vec<_>>().join("\n").to_lowercase()
}

#[test]
fn every_seed_label_is_in_the_kazakh_locale() {
    let values = values();
    let missing: Vec<&str> =
        include_str!("../seed-labels.kk.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter(|l| !values.contains(&l.to_lowercase())).collect();
    assert!(missing.is_empty(), "the seed's words missing from kk.ftl: {missing:?}");
}

#[test]
fn private_kindergartens_are_spelt_as_the_seed_spells_them() {
    let values = values();
    for wrong in ["жекеменшік", "(мемлекеттік тапсырыс)", "меңгеруші"] {
        assert!(!values.contains(wrong), "«{wrong}» is not the seed's spelling");
    }
}
