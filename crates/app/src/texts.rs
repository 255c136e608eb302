//! The texts an office sends and prints, and the one rule for which language each is in.

use baqsha_api::NewApplication;
use baqsha_api::ReferralView;
use baqsha_core::codes::{Channel, Notification};
use baqsha_core::Language;
use baqsha_i18n::{Arg, Lang, PlaceSms, PlaceTexts, Translator};
use baqsha_store::OfferNotice;

/// The parent's language: Russian for an application for Russian groups, else Kazakh.
pub fn parents(language: Language) -> Lang {
    baqsha_i18n::parents_language(language)
}

/// A code message goes in the office's screen language, Kazakh when it is English (codes
/// are sent to parents, who read Kazakh or Russian).
pub fn office(ui_language: Option<Lang>) -> Lang {
    match ui_language {
        Some(Lang::Ru) => Lang::Ru,
        Some(Lang::Kk | Lang::En) | None => Lang::Kk,
    }
}

/// «Растау коды»: the code's SMS or e-mail.
pub fn code(channel: Channel, recipient: &str, code: &str, lang: Lang) -> Notification {
    let t = Translator::new(lang);
    let body = t.t_args("msg-code-body", &[("code", Arg::Str(code))]);
    let subject = (channel == Channel::Email).then(|| t.t("msg-code-subject"));
    Notification { channel, recipient: recipient.to_string(), subject, body, secret: true }
}

/// The SMS and e-mail that tell the parent the application's number.
pub fn registered(a: &NewApplication, number: &str) -> Vec<Notification> {
    let t = Translator::new(parents(a.language));
    let args = [("number", Arg::Str(number)), ("child", Arg::Str(&a.child.full_name()))];
    let mut out =
        vec![Notification { channel: Channel::Sms, recipient: a.contacts.phone.as_str().to_string(), subject: None, body: t.t_args("msg-registered-sms", &args), secret: false }];
    if let Some(e) = &a.contacts.email {
        out.push(Notification {
            channel: Channel::Email,
            recipient: e.as_str().to_string(),
            subject: Some(t.t_args("msg-registered-subject", &args)),
            body: t.t_args("msg-registered-mail", &args),
            secret: false,
        });
    }
    out
}

/// «№ … өтінішке кезек келді … дейін алыңыз»: a place is offered.
pub fn offer(n: &OfferNotice) -> Vec<Notification> {
    let body = PlaceTexts::default().sms(PlaceSms::Offer, n.language, &n.offer.number, &n.kindergarten_kk, &n.kindergarten_ru, n.respond_by);
    vec![Notification { channel: Channel::Sms, recipient: n.phone.clone(), subject: None, body, secret: false }]
}

/// The referral's number and its last day.
pub fn referral(v: &ReferralView) -> Vec<Notification> {
    let body = PlaceTexts::default().sms(PlaceSms::Referral, v.language, &v.referral.number, &v.kindergarten_name.kk, &v.kindergarten_name.ru, v.referral.valid_until);
    vec![Notification { channel: Channel::Sms, recipient: v.phone.clone(), subject: None, body, secret: false }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use baqsha_core::offer::Offer;
    use baqsha_core::*;
    use uuid::Uuid;

    fn offer_notice(language: Language) -> OfferNotice {
        OfferNotice {
            offer: Offer {
                vacancy: VacancyId(Uuid::from_u128(1)),
                kindergarten: KindergartenId(Uuid::from_u128(2)),
                group: GroupId(Uuid::from_u128(3)),
                application: ApplicationId(Uuid::from_u128(4)),
                number: "VKO-2026-000042".into(),
                position: 7,
                preference_rank: 0,
                ahead_not_offered: 2,
            },
            phone: "+77011234567".into(),
            kindergarten_kk: "№ 12 «Ақбота» бөбекжайы".into(),
            kindergarten_ru: "Ясли-сад № 12 «Акбота»".into(),
            respond_by: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            language,
        }
    }

    #[test]
    fn the_offer_sms_speaks_the_parents_language() {
        let kk = offer(&offer_notice(Language::Kk));
        assert_eq!(kk[0].recipient, "+77011234567");
        assert!(kk[0].body.contains("VKO-2026-000042") && kk[0].body.contains("«№ 12 «Ақбота» бөбекжайы»") && kk[0].body.contains("02.12.2026 дейін"), "{}", kk[0].body);
        let ru = offer(&offer_notice(Language::Ru));
        assert!(ru[0].body.contains("подошла очередь") && ru[0].body.contains("Ясли-сад № 12"), "{}", ru[0].body);
    }

    #[test]
    fn each_text_has_one_language_rule() {
        assert_eq!(Lang::Kk.of_documents(), Lang::Kk);
        assert_eq!(Lang::Ru.of_documents(), Lang::Ru);
        assert_eq!(Lang::En.of_documents(), Lang::Ru);
        assert_eq!(office(Some(Lang::En)), Lang::Kk);
        assert_eq!(office(Some(Lang::Ru)), Lang::Ru);
        assert_eq!(office(None), Lang::Kk);
        let c = code(Channel::Email, "ata@example.kz", "123456", Lang::Kk);
        assert!(c.secret && c.subject.is_some() && c.body.contains("123456"));
    }
}
