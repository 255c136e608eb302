//! «Балабақшалар тізілімі»: the registry, the map, a kindergarten's passport, and its groups.
//! Public facts: every signed-in role reads them.

use crate::{Office, OrApi};
use baqsha_api::*;
use baqsha_core::command::CommandKind;
use baqsha_core::roles::Operator;
use baqsha_core::{Group, KindergartenId};

impl Office {
    pub async fn search_kindergartens(&self, _op: &Operator, query: &RegistryQuery) -> Result<RegistryPage, ApiError> {
        self.store().search_kindergartens(query).await.or_api("registry search")
    }

    pub async fn map_points(&self, _op: &Operator, query: &RegistryQuery) -> Result<Vec<MapPoint>, ApiError> {
        self.store().map_points(query).await.or_api("map")
    }

    pub async fn passport(&self, _op: &Operator, id: KindergartenId) -> Result<Passport, ApiError> {
        self.store().passport(id, self.today()).await.or_api("passport")
    }

    /// «Топтар»: staff see their own kindergarten's groups whatever they ask for; the others
    /// those of the kindergarten asked for.
    pub async fn groups_of(&self, op: &Operator, kindergarten: Option<KindergartenId>) -> Result<Passport, ApiError> {
        let id = op.kindergarten.or(kindergarten).ok_or(ApiError::InvalidInput { field: "kindergarten".into() })?;
        self.store().passport(id, self.today()).await.or_api("passport")
    }

    /// Saves a group; `was_enrolled` is the count the form was opened with, so a form left
    /// open while a child was admitted is refused instead of undoing the admission.
    pub async fn save_group(&self, op: &Operator, group: Group, was_enrolled: u32) -> Result<(), ApiError> {
        let cmd = self.command(op, CommandKind::SaveGroup { group });
        self.store().save_group_from(op, &cmd, was_enrolled).await.or_api("save group")?;
        Ok(())
    }
}
