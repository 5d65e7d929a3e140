//! The JSON records of the open data: everything the pages show, in both
//! languages at once (`{"ja": …, "en": …}`; `en` is null where there is
//! no English), with stable ids (the file and folder names staff chose) and
//! each page's address. Texts are the Markdown staff wrote. The shape is
//! described by `schema.json` ([`super::package`]).

use crate::model::value::Reading;
use crate::model::{
    AppliesTo, Date, FiscalYear, Label, Lang, Observation, Plan, Scale, Site, TargetValue, Text,
};
use crate::render::urls;
use serde_json::{json, Map, Value};

fn text(t: &Text) -> Value {
    json!({ "ja": t.ja, "en": t.en })
}

fn opt_text(t: Option<&Text>) -> Value {
    t.map_or(Value::Null, text)
}

fn label(l: &Label) -> Value {
    json!({ "ja": l.ja, "en": l.en })
}

/// A page's absolute address in each of the site's languages.
fn urls_of(site: &Site, page: impl Fn(Lang) -> String) -> Value {
    let mut m = Map::new();
    for &lang in &site.config.languages {
        m.insert(
            lang.code().to_string(),
            Value::String(format!("{}{}", site.config.base_url, page(lang))),
        );
    }
    Value::Object(m)
}

fn value_key(scale: &Scale, v: Option<usize>) -> Value {
    v.map_or(Value::Null, |v| Value::String(scale.values[v].key.clone()))
}

/// `{"2023": "done", …}`: a value key per fiscal year.
fn by_year(scale: &Scale, years: impl Iterator<Item = (FiscalYear, usize)>) -> Value {
    Value::Object(
        years
            .map(|(y, v)| (y.0.to_string(), Value::String(scale.values[v].key.clone())))
            .collect(),
    )
}

fn reading(r: &Reading) -> Value {
    json!({
        "printed": r.printed,
        "value": r.quantity().map(|q| q.base().0),
        "measured": r.measured,
    })
}

fn observation(o: &Observation) -> Value {
    let mut v = reading(&o.reading);
    if let Value::Object(m) = &mut v {
        m.insert("year".into(), json!(o.year.0));
        m.insert("note".into(), opt_text(o.note.as_ref()));
        m.insert("as_of".into(), json!(o.as_of.map(Date::iso)));
        m.insert("interim".into(), json!(o.interim));
    }
    v
}

fn scale(s: &Scale) -> Value {
    json!({
        "key": s.key,
        "name": label(&s.name),
        "applies_to": s.applies_to,
        "level": s.level,
        "rollup": s.rollup,
        "across_years": s.across_years,
        "values": s.values.iter().map(|v| json!({
            "key": v.key,
            "symbol": v.symbol(),
            "label": label(&v.label),
            "meaning": v.meaning.as_ref().map(label),
            "order": v.order,
            "tone": v.tone,
        })).collect::<Vec<_>>(),
    })
}

/// One initiative: its place, names, departments, schedule rows with their
/// plans and statuses by year, yearly entries with targets, results and
/// figures, and its narrative.
pub fn initiative(site: &Site, i: usize) -> Value {
    let init = &site.initiatives[i];
    let plan = &site.plans[init.plan];
    let sched = plan.scale_for(AppliesTo::Schedule).map(|s| &plan.scales[s]);
    let item = plan
        .scale_for(AppliesTo::Initiative)
        .map(|s| &plan.scales[s]);
    let schedule: Vec<Value> = init
        .schedule
        .iter()
        .map(|r| {
            json!({
                "label": opt_text(r.label.as_ref()),
                "plan": r.plan.iter().map(|(y, t)| (y.0.to_string(), text(t))).collect::<Map<_, _>>(),
                "status": sched.map_or(Value::Null, |s| by_year(s, r.status.iter().map(|(y, v)| (*y, *v)))),
            })
        })
        .collect();
    let years: Vec<Value> = init
        .years
        .iter()
        .map(|(y, e)| {
            json!({
                "year": y.0,
                "from": e.from.map(|f| f.0),
                "phase": opt_text(e.phase.as_ref()),
                "target": opt_text(e.target.as_ref()),
                "result": opt_text(e.result.as_ref()),
                "reason": opt_text(e.reason.as_ref()),
                "status": item.map_or(Value::Null, |s| value_key(s, e.status)),
                "figures": e.figures.iter().map(|f| json!({
                    "name": text(&f.name),
                    "unit": f.unit.as_ref().map(label),
                    "target": f.target.as_ref().map(reading),
                    "actual": f.actual.as_ref().map(reading),
                    "as_of": f.as_of.map(Date::iso),
                    "interim": f.interim,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": init.id,
        "plan": plan.id,
        "section": init.section.map(|s| &site.sections[s].slug),
        "code": init.code,
        "code_en": init.code_en,
        "title": text(&init.title),
        "departments": init.departments.iter().map(|&d| &site.departments[d].id).collect::<Vec<_>>(),
        "repeat_of": init.repeat_of.map(|r| &site.initiatives[r].id),
        "ended_after": init.ended.as_ref().map(|e| e.after.0),
        "ended_note": opt_text(init.ended.as_ref().and_then(|e| e.note.as_ref())),
        "source_page": init.source_page,
        "reason": opt_text(init.reason.as_ref()),
        "activities": init.activities.iter().map(text).collect::<Vec<_>>(),
        "schedule": schedule,
        "years": years,
        "body": text(&init.body),
        "url": urls_of(site, |l| urls::initiative(l, site, i)),
    })
}

/// One indicator: its series, target and the assessment the pages show.
pub fn indicator(site: &Site, i: usize) -> Value {
    let ind = &site.indicators[i];
    let target = ind.target.as_ref().map(|t| {
        let (value, comparator) = match &t.value {
            TargetValue::Number(r, c) => (reading(r), Some(*c)),
            TargetValue::Text(x) => (json!({ "text": text(x) }), None),
        };
        json!({
            "year": t.year.0,
            "each_year_from": t.each_year_from.map(|y| y.0),
            "value": value,
            "comparator": comparator,
            // Whether the comparator is the source's (以上/以下 or `comparator`)
            // or follows the indicator's direction.
            "comparator_stated": comparator.map(|_| !t.comparator_implied),
        })
    });
    let assessment = site.assessment(i);
    json!({
        "id": ind.id,
        "plan": site.plans[ind.plan].id,
        "name": text(&ind.name),
        "unit": ind.unit.as_ref().map(label),
        "initiative": ind.initiative.map(|x| &site.initiatives[x].id),
        "also": ind.also.iter().map(|&x| &site.initiatives[x].id).collect::<Vec<_>>(),
        "department": ind.department.map(|d| &site.departments[d].id),
        "direction": ind.direction,
        "baseline": ind.baseline.as_ref().map(observation),
        "observations": ind.observations.iter().map(observation).collect::<Vec<_>>(),
        "target": target,
        "status": assessment.status.key(),
        "status_override_reason": opt_text(ind.status_override.as_ref().map(|(_, r)| r)),
        "footnotes": ind.footnotes.iter().map(text).collect::<Vec<_>>(),
        "source_page": ind.source_page,
        "body": text(&ind.body),
        "url": urls_of(site, |l| urls::indicator(l, site, i)),
    })
}

/// Where [`plan`] leaves its initiatives and [`site`] its plans: the
/// records are serialised once and spliced in ([`splice`]), so that the
/// largest file is never held as a tree of values.
pub const SLOT: &str = "\u{0}records\u{0}";

/// `json` (serialised, holding [`SLOT`] once) with the slot replaced by an
/// array of the serialised `items`.
pub fn splice(json: &[u8], items: &[&[u8]]) -> Vec<u8> {
    let slot = serde_json::to_vec(SLOT).unwrap_or_default();
    let at = json
        .windows(slot.len())
        .position(|w| w == slot.as_slice())
        .unwrap_or(json.len());
    let mut out = Vec::with_capacity(json.len() + items.iter().map(|i| i.len() + 1).sum::<usize>());
    out.extend_from_slice(&json[..at]);
    out.push(b'[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.push(b']');
    out.extend_from_slice(json.get(at + slot.len()..).unwrap_or_default());
    out
}

/// One plan with its levels, scales, sections and indicators; its
/// initiatives are [`SLOT`].
pub fn plan(site: &Site, p: usize) -> Value {
    let plan: &Plan = &site.plans[p];
    let sections: Vec<Value> = site
        .sections
        .iter()
        .filter(|s| s.plan == p)
        .map(|s| {
            let ratings: Map<String, Value> = s
                .status
                .iter()
                .map(|(&sc, years)| {
                    let scale = &plan.scales[sc];
                    (
                        scale.key.clone(),
                        by_year(scale, years.iter().map(|(y, v)| (*y, *v))),
                    )
                })
                .collect();
            json!({
                "id": s.slug,
                "parent": s.parent.map(|x| &site.sections[x].slug),
                "level": s.level,
                "code": s.code,
                "code_en": s.code_en,
                "title": text(&s.title),
                "ratings": ratings,
                "body": text(&s.body),
            })
        })
        .collect();
    json!({
        "id": plan.id,
        "municipality": site.municipalities[plan.municipality].id,
        "title": text(&plan.title),
        "short_title": opt_text(plan.short_title.as_ref()),
        "first_year": plan.first_year.0,
        "last_year": plan.last_year.0,
        "reporting_year": plan.reporting_year.0,
        "published": plan.published,
        "source": {
            "title": plan.source.title,
            "url": plan.source.url,
            "publisher": plan.source.publisher,
        },
        "levels": plan.levels.iter().map(label).collect::<Vec<_>>(),
        "on_track": plan.indicator_settings.on_track,
        "scales": plan.scales.iter().map(scale).collect::<Vec<_>>(),
        "body": text(&plan.body),
        "sections": sections,
        "initiatives": SLOT,
        "indicators": plan.indicators.iter().map(|&i| indicator(site, i)).collect::<Vec<_>>(),
        "url": urls_of(site, |l| urls::plan(l, site, p)),
    })
}

/// The whole site: its settings, municipalities and departments; its plans
/// are [`SLOT`].
pub fn site(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "title": label(&c.title),
        "description": c.description.as_ref().map(label),
        "base_url": c.base_url,
        "languages": c.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "license": c.license.as_ref().map(|l| json!({ "name": label(&l.name), "url": l.url })),
        "municipalities": site.municipalities.iter().map(|m| json!({
            "id": m.id,
            "name": label(&m.name),
        })).collect::<Vec<_>>(),
        "departments": site.departments.iter().map(|d| json!({
            "id": d.id,
            "municipality": site.municipalities[d.municipality].id,
            "name": label(&d.name),
            "formerly": d.formerly.iter().map(|(n, until)| json!({ "name": n, "until": until.0 })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "plans": SLOT,
    })
}
