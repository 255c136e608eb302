//! Baqsha's interface: a client of the shell's commands. It may use the core for instant
//! validation, never for decisions.

mod about;
mod accounts;
mod admit;
mod app;
mod benefits;
mod bridge;
mod bulletin;
mod check;
mod clock;
mod contact_form;
mod groups;
mod i18n;
mod issued;
mod leases;
mod messages;
mod print;
mod queue_check;
mod queue_list;
mod referral;
mod registry;
mod settings;
mod setup;
mod sign_in;
mod statistics;
mod sync;
mod widgets;
mod wizard;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
