//! Baqsha's interface: a client of the shell's commands. It may use the core for instant
//! validation, never for decisions.

mod about;
mod app;
mod bridge;
mod check;
mod edit_dialog;
mod edit_form;
mod i18n;
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
mod registry;
mod registry_state;
mod settings;
mod sign_in;
mod wizard;
mod wizard_state;
mod admit;
mod benefits;
mod bulletin;
mod bulletin_state;
mod chart;
mod groups;
mod issued;
mod referral;
mod referral_state;
mod statistics;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
