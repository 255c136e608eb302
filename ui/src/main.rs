//! Baqsha's interface: a client of the shell's commands. It may use the core for instant
//! validation, never for decisions.

mod about;
mod admit;
mod app;
mod benefits;
mod bridge;
mod bulletin;
mod bulletin_state;
mod chart;
mod check;
mod edit_dialog;
mod edit_form;
mod groups;
mod i18n;
mod issued;
mod map;
mod messages;
mod passport;
mod print;
mod print_state;
mod printed;
mod queue_check;
mod queue_check_state;
mod queue_list;
mod queue_list_state;
mod referral;
mod referral_state;
mod registry;
mod registry_state;
mod settings;
mod sign_in;
mod statistics;
mod wizard;
mod wizard_state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
