//! Queries of the kindergarten registry: the list, the map and the passport.

use crate::codec::{code, parse_json_list, uuid};
use crate::{Store, StoreError};
use baqsha_api::*;
use baqsha_core::*;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

/// How a registry query finds the typed words.
#[derive(Clone, Copy, PartialEq)]
enum Plan {
    /// Through the search indexes: best when few kindergartens match.
    Index,
    /// Walking the list in its order and reading each row's folded text until the page is
    /// full: best when many match (a common word), where evaluating the index for every
    /// match costs more than the page.
    Scan,
}

/// The typed words, folded, split into those of three letters or more (found anywhere in a
/// name or an address) and those of one or two (found at the start of a word there: «б»
/// finds «Балапан», «12» finds «№ 12»). fold() leaves only letters, digits and spaces.
fn words(text: &str) -> (Vec<String>, Vec<String>) {
    let folded = baqsha_core::text::fold(text);
    folded.split(' ').filter(|w| !w.is_empty()).map(str::to_string).partition(|w| w.chars().count() >= 3)
}

/// The search index's query for words (quoted, so a word never breaks out as syntax).
fn fts(words: &[String], suffix: &str) -> String {
    words.iter().map(|w| format!("\"{w}\"{suffix}")).collect::<Vec<_>>().join(" AND ")
}

/// Adds the WHERE clause of a registry query (and, for a scan, the join to the folded
/// text): every typed word must occur in a name or an address, plus the filters. Both plans
/// find the same rows: the trigram index matches a word as a substring of the folded text,
/// the word index a short word at the start of one of its words.
fn push_filters<'a>(qb: &mut QueryBuilder<'a, Sqlite>, q: &'a RegistryQuery, plan: Plan) {
    let (long, short) = words(&q.text);
    if plan == Plan::Scan && !(long.is_empty() && short.is_empty()) {
        // CROSS JOIN keeps the list (in its order) as the outer loop.
        qb.push(" CROSS JOIN kindergarten_text t ON t.search_rowid = k.search_rowid WHERE 1 = 1");
        for w in long {
            qb.push(" AND instr(t.text, ").push_bind(w).push(") > 0");
        }
        for w in short {
            qb.push(" AND instr(' ' || t.text, ").push_bind(format!(" {w}")).push(") > 0");
        }
    } else {
        qb.push(" WHERE 1 = 1");
        if !long.is_empty() {
            qb.push(" AND k.search_rowid IN (SELECT rowid FROM kindergarten_search WHERE kindergarten_search MATCH ").push_bind(fts(&long, "")).push(")");
        }
        if !short.is_empty() {
            qb.push(" AND k.search_rowid IN (SELECT rowid FROM kindergarten_words WHERE kindergarten_words MATCH ").push_bind(fts(&short, "*")).push(")");
        }
    }
    if let Some(kind) = q.kind {
        qb.push(" AND k.kind = ").push_bind(kind.code());
    }
    if let Some(d) = &q.district {
        qb.push(" AND k.district = ").push_bind(d.as_str());
    }
    if let Some(l) = q.language {
        qb.push(" AND EXISTS (SELECT 1 FROM groups g WHERE g.kindergarten = k.id AND g.language = ").push_bind(l.code()).push(")");
    }
}

/// Counts matches, at most `limit`. Words of one kind and no filter: the index alone counts
/// them, its rows being the kindergartens' (each has one), and stops at the limit.
fn push_count<'a>(qb: &mut QueryBuilder<'a, Sqlite>, q: &'a RegistryQuery, limit: i64) {
    let (long, short) = words(&q.text);
    let filtered = q.kind.is_some() || q.district.is_some() || q.language.is_some();
    let index = match (long.is_empty(), short.is_empty()) {
        _ if filtered => None,
        (false, true) => Some(("kindergarten_search", fts(&long, ""))),
        (true, false) => Some(("kindergarten_words", fts(&short, "*"))),
        _ => None,
    };
    qb.push("SELECT count(*) FROM (SELECT 1 FROM ");
    match index {
        Some((table, query)) => {
            qb.push(table).push(" WHERE ").push(table).push(" MATCH ").push_bind(query);
        }
        None => {
            qb.push("kindergartens k");
            push_filters(qb, q, Plan::Index);
        }
    }
    qb.push(" LIMIT ").push_bind(limit).push(")");
}

/// The registry list counts its matches up to this many (more when a later page is asked
/// for); past it the screen says «1 000+»: an operator narrows the search rather than reads on.
pub const COUNT_UP_TO: u64 = 1000;

impl Store {
    /// One page of the registry list.
    pub async fn search_kindergartens(&self, q: &RegistryQuery) -> Result<RegistryPage, StoreError> {
        let page_size = q.page_size.clamp(1, 200);
        // Counted only as far as the page asked for needs (and a row more, to know of a next
        // page): a one-letter word matches most of the country, and counting all of it took
        // longer than finding the page.
        let cap = COUNT_UP_TO.max((q.page as u64 + 1) * page_size as u64);
        let mut count = QueryBuilder::new("");
        push_count(&mut count, q, cap as i64 + 1);
        let found = count.build_query_scalar::<i64>().fetch_one(&self.pool).await? as u64;
        let (total, more) = if found > cap { (cap, true) } else { (found, false) };
        if total == 0 {
            return Ok(RegistryPage { items: vec![], total: 0, more: false, page: q.page, page_size });
        }

        // The page is chosen first; languages are gathered for its rows only.
        let name = if q.russian_names { "sort_ru" } else { "sort_kk" };
        let order = match q.sort {
            RegistrySort::Name => name.to_string(),
            RegistrySort::District => format!("district, {name}"),
            RegistrySort::FreePlaces => format!("free_places DESC, {name}"),
        };
        let mut qb = QueryBuilder::new("WITH page AS (SELECT k.id, k.sort_kk, k.sort_ru, k.district, k.free_places FROM kindergartens k");
        push_filters(&mut qb, q, if total > 500 { Plan::Scan } else { Plan::Index });
        qb.push(format!(" ORDER BY {order}, id"));
        qb.push(" LIMIT ").push_bind(page_size as i64);
        qb.push(" OFFSET ").push_bind(q.page as i64 * page_size as i64);
        qb.push(
            ") SELECT k.id, k.name_kk, k.name_ru, k.kind, k.district, k.address_kk, k.address_ru, k.lat, k.lon,
                 page.free_places, page.sort_kk, page.sort_ru,
                 (SELECT group_concat(DISTINCT g.language) FROM groups g WHERE g.kindergarten = k.id) AS languages,
                 (SELECT count(*) FROM application_preferences p JOIN applications a ON a.id = p.application
                  WHERE p.kindergarten = k.id AND a.status IN ('queued', 'referred')) AS queue_size
             FROM page JOIN kindergartens k ON k.id = page.id",
        );
        let outer: Vec<String> = order.split(", ").map(|c| format!("page.{c}")).collect();
        qb.push(format!(" ORDER BY {}, page.id", outer.join(", ")));
        let rows = qb.build().fetch_all(&self.pool).await?;
        Ok(RegistryPage { items: rows.iter().map(kindergarten_row).collect::<Result<_, _>>()?, total, more, page: q.page, page_size })
    }

    /// Every kindergarten that matches, as map markers (no paging: the map shows them all).
    pub async fn map_points(&self, q: &RegistryQuery) -> Result<Vec<MapPoint>, StoreError> {
        let mut qb = QueryBuilder::new("SELECT k.id, k.name_kk, k.name_ru, k.kind, k.lat, k.lon, k.free_places FROM kindergartens k");
        push_filters(&mut qb, q, Plan::Index);
        let rows = qb.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(MapPoint {
                    id: KindergartenId(uuid(&r.try_get::<String, _>("id")?)?),
                    name: crate::codec::names(r, "name_kk", "name_ru", None)?,
                    kind: code("kind", &r.try_get::<String, _>("kind")?, KindergartenKind::from_code)?,
                    location: GeoPoint { lat: r.try_get("lat")?, lon: r.try_get("lon")? },
                    free_places: r.try_get::<i64, _>("free_places")? as u32,
                })
            })
            .collect()
    }

    /// «Балабақша паспорты»: one kindergarten with its groups, places and queue; who fits a
    /// group is reckoned by the core's rules for `today` (ages on the next policy date).
    pub async fn passport(&self, id: KindergartenId, today: chrono::NaiveDate) -> Result<Passport, StoreError> {
        let mut c = self.pool.acquire().await?;
        let r = sqlx::query("SELECT * FROM kindergartens WHERE id = ?").bind(id.to_string()).fetch_optional(&mut *c).await?.ok_or(StoreError::NotFound("kindergarten"))?;
        let kindergarten = kindergarten(&r)?;
        let district = sqlx::query("SELECT * FROM districts WHERE code = ?")
            .bind(&kindergarten.district)
            .fetch_one(&mut *c)
            .await
            .map_err(|_| StoreError::NotFound("district"))
            .and_then(|r| district(&r))?;
        let group_rows = sqlx::query(
            "SELECT g.*, (SELECT coalesce(sum(v.open), 0) FROM vacancies v WHERE v.grp = g.id) AS open_places
             FROM groups g WHERE g.kindergarten = ? ORDER BY g.age_from, g.name COLLATE kazakh",
        )
        .bind(id.to_string())
        .fetch_all(&mut *c)
        .await?;
        // Who waits for this kindergarten, as the offer rounds see them: age and language.
        let rules = baqsha_core::queue::QueueRules::default();
        let mut waiting: Vec<(u8, Language)> = vec![];
        for w in sqlx::query(
            "SELECT a.child_iin, a.language FROM application_preferences p JOIN applications a ON a.id = p.application
             WHERE p.kindergarten = ? AND a.status = 'queued'",
        )
        .bind(id.to_string())
        .fetch_all(&mut *c)
        .await?
        {
            let iin: String = w.try_get("child_iin")?;
            let birth = Iin::parse(&iin).map_err(|e| StoreError::Decode { what: "IIN", detail: format!("{iin}: {e:?}") })?.birth_date();
            let language = code("language", &w.try_get::<String, _>("language")?, Language::from_code)?;
            waiting.push((baqsha_core::queue::age_for_groups(birth, today, &rules), language));
        }
        let mut groups = Vec::with_capacity(group_rows.len());
        for r in &group_rows {
            let group = group(r)?;
            let queue_fits = waiting.iter().filter(|(age, language)| baqsha_core::offer::fits_group(group.age, group.language, *age, *language)).count() as u64;
            groups.push(GroupRow { group, open_places: r.try_get::<i64, _>("open_places")? as u32, queue_fits });
        }
        let q = sqlx::query(
            "SELECT count(*) AS n, coalesce(sum(p.rank = 0), 0) AS first
             FROM application_preferences p JOIN applications a ON a.id = p.application
             WHERE p.kindergarten = ? AND a.status IN ('queued', 'referred')",
        )
        .bind(id.to_string())
        .fetch_one(&mut *c)
        .await?;
        Ok(Passport {
            free_places: groups.iter().map(|g| g.open_places).sum(),
            enrolled: groups.iter().map(|g| g.group.enrolled).sum(),
            capacity: groups.iter().map(|g| g.group.capacity).sum(),
            queue_size: q.try_get::<i64, _>("n")? as u64,
            queue_first_choice: q.try_get::<i64, _>("first")? as u64,
            kindergarten,
            district,
            groups,
        })
    }

    pub async fn districts(&self) -> Result<Vec<District>, StoreError> {
        let rows = sqlx::query("SELECT * FROM districts ORDER BY name_kk COLLATE kazakh").fetch_all(&self.pool).await?;
        rows.iter().map(district).collect()
    }

    /// Writes the districts of the region (reference data, set when the region is imported).
    pub async fn save_districts(&self, ds: &[District]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for d in ds {
            sqlx::query(
                "INSERT INTO districts (code, name_kk, name_ru, name_en, lat, lon) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT(code) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru,
                    name_en = excluded.name_en, lat = excluded.lat, lon = excluded.lon",
            )
            .bind(&d.code)
            .bind(&d.name_kk)
            .bind(&d.name_ru)
            .bind(&d.name_en)
            .bind(d.centre.lat)
            .bind(d.centre.lon)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn kindergarten_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM kindergartens").fetch_one(&self.pool).await?)
    }

    pub async fn application_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM applications").fetch_one(&self.pool).await?)
    }
}

pub(crate) async fn group_in(c: &mut SqliteConnection, id: GroupId) -> Result<Option<Group>, StoreError> {
    let r = sqlx::query("SELECT * FROM groups WHERE id = ?").bind(id.to_string()).fetch_optional(&mut *c).await?;
    r.as_ref().map(group).transpose()
}

fn kindergarten_row(r: &SqliteRow) -> Result<KindergartenRow, StoreError> {
    let langs: Option<String> = r.try_get("languages")?;
    let mut languages: Vec<Language> = langs.unwrap_or_default().split(',').filter_map(Language::from_code).collect();
    languages.sort_by_key(|l| Language::ALL.iter().position(|x| x == l));
    Ok(KindergartenRow {
        id: KindergartenId(uuid(&r.try_get::<String, _>("id")?)?),
        name: crate::codec::names(r, "name_kk", "name_ru", None)?,
        kind: code("kind", &r.try_get::<String, _>("kind")?, KindergartenKind::from_code)?,
        district: r.try_get("district")?,
        address: crate::codec::names(r, "address_kk", "address_ru", None)?,
        languages,
        free_places: r.try_get::<i64, _>("free_places")? as u32,
        queue_size: r.try_get::<i64, _>("queue_size")?.max(0) as u64,
        location: GeoPoint { lat: r.try_get("lat")?, lon: r.try_get("lon")? },
    })
}

fn kindergarten(r: &SqliteRow) -> Result<Kindergarten, StoreError> {
    Ok(Kindergarten {
        id: KindergartenId(uuid(&r.try_get::<String, _>("id")?)?),
        name_kk: r.try_get("name_kk")?,
        name_ru: r.try_get("name_ru")?,
        kind: code("kind", &r.try_get::<String, _>("kind")?, KindergartenKind::from_code)?,
        district: r.try_get("district")?,
        address_kk: r.try_get("address_kk")?,
        address_ru: r.try_get("address_ru")?,
        location: GeoPoint { lat: r.try_get("lat")?, lon: r.try_get("lon")? },
        head: r.try_get("head")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        hours: r.try_get("hours")?,
        programmes: parse_json_list(&r.try_get::<String, _>("programmes")?)?,
        equipment: parse_json_list(&r.try_get::<String, _>("equipment")?)?,
        design_capacity: r.try_get::<i64, _>("design_capacity")? as u32,
    })
}

fn group(r: &SqliteRow) -> Result<Group, StoreError> {
    Ok(Group {
        id: GroupId(uuid(&r.try_get::<String, _>("id")?)?),
        kindergarten: KindergartenId(uuid(&r.try_get::<String, _>("kindergarten")?)?),
        name: r.try_get("name")?,
        age: AgeBand { from_years: r.try_get::<i64, _>("age_from")? as u8, to_years: r.try_get::<i64, _>("age_to")? as u8 },
        language: code("language", &r.try_get::<String, _>("language")?, Language::from_code)?,
        capacity: r.try_get::<i64, _>("capacity")? as u32,
        enrolled: r.try_get::<i64, _>("enrolled")? as u32,
    })
}

fn district(r: &SqliteRow) -> Result<District, StoreError> {
    Ok(District {
        code: r.try_get("code")?,
        name_kk: r.try_get("name_kk")?,
        name_ru: r.try_get("name_ru")?,
        name_en: r.try_get("name_en")?,
        centre: GeoPoint { lat: r.try_get("lat")?, lon: r.try_get("lon")? },
    })
}
