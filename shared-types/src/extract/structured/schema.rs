//! schema.org items, whichever syntax they came in (JSON-LD or microdata), and how they map to
//! findings. Both syntaxes build an [`Arena`] of [`Item`]s; [`emit`] walks it once.
//!
//! Mapping:
//! - `Person` → an object of kind person: `name` (else `givenName` + `familyName`), `email`,
//!   `telephone`, `jobTitle`, `url` (profile or website), `sameAs` (profiles only), `address`
//!   (a `PostalAddress` → "locality, region, country", or text), `contactPoint` (its email and
//!   telephone), `worksFor` / `affiliation` / `memberOf` (an organisation's name, or text) → company.
//! - `Organization` and its subtypes (`LocalBusiness`, `Corporation`, `Restaurant`, … see
//!   [`is_organization`]) → an object of kind company: `name` (else `legalName`) as company, `url`,
//!   `sameAs`, `email`, `telephone`, `address`/`location`, `contactPoint`; its `employee`, `member`,
//!   `founder` (and plural forms) are persons, each its own object, given the organisation's name as
//!   company unless they say where they work themselves; `department`, `subOrganization`,
//!   `parentOrganization` are organisations of their own.
//! - `ContactPoint` on its own → an object of kind company with its email and telephone.
//! - Anything else (`WebPage`, `Article`, `Event`, `Product`, …) is not a contact; the items in its
//!   properties (`author`, `publisher`, `organizer`, `mainEntity`, …) are visited.
//!
//! Items referenced from several places (JSON-LD `@id`) become one object; cycles end.

use std::collections::{HashMap, HashSet};

use super::{confidence, values, Obj, Out, Value};
use crate::extract::candidate::{CandidateField, ContactKind, Provenance};

/// Deepest item nesting followed (real pages nest three or four levels).
const MAX_DEPTH: u32 = 16;

#[derive(Debug)]
pub(crate) enum Val {
    Text {
        text: String,
        node: Option<u32>,
    },
    Item(usize),
    /// A JSON-LD `{"@id": …}` reference, resolved through [`Arena::by_id`].
    Ref(String),
}

#[derive(Debug, Default)]
pub(crate) struct Item {
    /// Short type names (`Person`, `LocalBusiness`).
    pub types: Vec<String>,
    /// JSON-LD `@id` or microdata `itemid`.
    pub id: Option<String>,
    /// Property name (short form) and value, in source order; a name may repeat.
    pub props: Vec<(String, Val)>,
    /// The element of a microdata item.
    pub node: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub items: Vec<Item>,
    pub roots: Vec<usize>,
    pub by_id: HashMap<String, usize>,
}

impl Arena {
    /// Index item `idx` under its id. The fullest description of an id wins: a later node with
    /// properties replaces a bare one.
    pub fn register_id(&mut self, idx: usize) {
        let Some(id) = self.items[idx].id.clone() else {
            return;
        };
        let replace = match self.by_id.get(&id) {
            None => true,
            Some(j) => self.items[*j].props.is_empty() && !self.items[idx].props.is_empty(),
        };
        if replace {
            self.by_id.insert(id, idx);
        }
    }
}

/// `http://schema.org/Person`, `schema:Person`, `Person` → `Person`.
pub(crate) fn short_name(s: &str) -> &str {
    let s = s.trim();
    let s = s.rsplit(['/', '#']).next().unwrap_or(s);
    s.strip_prefix("schema:").unwrap_or(s)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Person,
    Organization,
    ContactPoint,
    Other,
}

fn class(types: &[String]) -> Class {
    if types.iter().any(|t| t == "Person" || t == "Patient") {
        Class::Person
    } else if types.iter().any(|t| is_organization(t)) {
        Class::Organization
    } else if types.iter().any(|t| t == "ContactPoint") {
        Class::ContactPoint
    } else {
        Class::Other
    }
}

/// schema.org `Organization` and its subtypes. The tree has hundreds of `LocalBusiness` kinds; the
/// suffixes catch most (`…Organization`, `…Business`, `…Store`, `…Service`), the list the rest.
pub fn is_organization(t: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "Organization",
        "Organisation",
        "Business",
        "Store",
        "Service",
        "Agency",
        "Clinic",
        "Shop",
        "Dealer",
        "Contractor",
        "Restaurant",
        "Office",
        "Center",
        "Centre",
        "Club",
        "Team",
        "Company",
        "Corporation",
        "Establishment",
        "Practice",
        "Firm",
    ];
    const NAMES: &[&str] = &[
        "Corporation",
        "NGO",
        "Airline",
        "Consortium",
        "Project",
        "FundingScheme",
        "Cooperative",
        "LibrarySystem",
        "SearchRescueOrganization",
        "School",
        "CollegeOrUniversity",
        "HighSchool",
        "MiddleSchool",
        "ElementarySchool",
        "Preschool",
        "Hospital",
        "Pharmacy",
        "Physician",
        "Dentist",
        "Optician",
        "Attorney",
        "Notary",
        "Hotel",
        "Motel",
        "Hostel",
        "BedAndBreakfast",
        "Resort",
        "Campground",
        "Bakery",
        "BarOrPub",
        "Brewery",
        "CafeOrCoffeeShop",
        "Distillery",
        "FastFoodRestaurant",
        "IceCreamShop",
        "Winery",
        "Library",
        "Plumber",
        "Electrician",
        "Locksmith",
        "RoofingContractor",
        "MovingCompany",
        "HVACBusiness",
        "HousePainter",
        "GeneralContractor",
        "Bank",
        "BankOrCreditUnion",
        "AccountingService",
        "InsuranceAgency",
        "RealEstateAgent",
        "TravelAgency",
        "AutoDealer",
        "AutoRepair",
        "GasStation",
        "DaySpa",
        "HairSalon",
        "NailSalon",
        "BeautySalon",
        "HealthClub",
        "Gym",
        "ExerciseGym",
        "SportsClub",
        "SportsTeam",
        "GolfCourse",
        "Casino",
        "NightClub",
        "MusicVenue",
        "MovieTheater",
        "Museum",
        "Zoo",
        "Aquarium",
        "ArtGallery",
        "ChildCare",
        "DryCleaningOrLaundry",
        "EmergencyService",
        "FireStation",
        "PoliceStation",
        "PostOffice",
        "Courthouse",
        "EmploymentAgency",
        "VeterinaryCare",
        "MedicalClinic",
        "Optometric",
    ];
    /// Subtypes of `Service` (something offered), not of `Organization`.
    const NOT: &[&str] = &[
        "Service",
        "BroadcastService",
        "CableOrSatelliteService",
        "FoodService",
        "GovernmentService",
        "TaxiService",
    ];
    if NOT.contains(&t) {
        return false;
    }
    NAMES.contains(&t)
        || SUFFIXES
            .iter()
            .any(|s| t.len() >= s.len() && t.ends_with(s))
}

/// Walk every root of `arena` and record its contacts as `provenance`.
pub(crate) fn emit(arena: &Arena, provenance: Provenance, out: &mut Out<'_, '_>) {
    let mut e = Emitter {
        arena,
        provenance,
        obj_of: vec![None; arena.items.len()],
        done: vec![false; arena.items.len()],
        obj_by_id: HashMap::new(),
        has_company: HashSet::new(),
    };
    for r in &arena.roots {
        e.visit(*r, 0, out);
    }
}

struct Emitter<'r> {
    arena: &'r Arena,
    provenance: Provenance,
    /// Object and name of each person/organisation item once visited.
    obj_of: Vec<Option<(Obj, Option<String>)>>,
    done: Vec<bool>,
    obj_by_id: HashMap<&'r str, Obj>,
    /// Person objects that said where they work.
    has_company: HashSet<u32>,
}

impl<'r> Emitter<'r> {
    fn item(&self, v: &'r Val) -> Option<usize> {
        match v {
            Val::Item(i) => Some(*i),
            Val::Ref(id) => self.arena.by_id.get(id).copied(),
            Val::Text { .. } => None,
        }
    }

    fn props(&self, item: usize, names: &'r [&'r str]) -> impl Iterator<Item = &'r Val> + 'r {
        let item = &self.arena.items[item];
        item.props
            .iter()
            .filter(move |(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v)
    }

    /// The first text value of one of `names` (a `{name: …}` item counts by its name).
    fn text(&self, item: usize, names: &'r [&'r str]) -> Option<(String, Option<u32>)> {
        self.props(item, names).find_map(|v| self.as_text(v, 0))
    }

    fn as_text(&self, v: &'r Val, depth: u32) -> Option<(String, Option<u32>)> {
        match v {
            Val::Text { text, node } => values::text(text).map(|t| (t, *node)),
            _ if depth > 2 => None,
            _ => {
                let i = self.item(v)?;
                self.props(i, &["name"])
                    .find_map(|v| self.as_text(v, depth + 1))
            }
        }
    }

    /// The class of an item; `untyped` when it has no type (what its property implies: an
    /// `employee` is a person, a `worksFor` an organisation).
    fn class_of(&self, item: usize, untyped: Class) -> Class {
        let types = &self.arena.items[item].types;
        if types.is_empty() {
            untyped
        } else {
            class(types)
        }
    }

    fn visit(
        &mut self,
        item: usize,
        depth: u32,
        out: &mut Out<'_, '_>,
    ) -> Option<(Obj, Option<String>)> {
        self.visit_as(item, Class::Other, depth, out)
    }

    /// Visit an item: record it if it is a contact, then the items it links to. Returns the
    /// object and name of a person or organisation.
    fn visit_as(
        &mut self,
        item: usize,
        untyped: Class,
        depth: u32,
        out: &mut Out<'_, '_>,
    ) -> Option<(Obj, Option<String>)> {
        if depth > MAX_DEPTH || item >= self.arena.items.len() {
            return None;
        }
        if self.done[item] {
            return self.obj_of[item].clone();
        }
        self.done[item] = true;
        let cls = self.class_of(item, untyped);
        match cls {
            Class::Person | Class::Organization | Class::ContactPoint => {
                let kind = if cls == Class::Person {
                    ContactKind::Person
                } else {
                    ContactKind::Company
                };
                let obj = match self.arena.items[item].id.as_deref() {
                    Some(id) => *self.obj_by_id.entry(id).or_insert_with(|| out.object(kind)),
                    None => out.object(kind),
                };
                let name = match cls {
                    Class::Person => self.person_name(item),
                    Class::Organization => self.text(item, &["name", "legalName", "alternateName"]),
                    _ => None,
                };
                let name_text = name.as_ref().map(|n| n.0.clone());
                self.obj_of[item] = Some((obj, name_text.clone()));
                if let Some((n, node)) = name {
                    let field = if cls == Class::Person {
                        CandidateField::Name
                    } else {
                        CandidateField::Company
                    };
                    self.push(out, obj, field, n, None, node);
                }
                self.contact_fields(item, obj, out);
                match cls {
                    Class::Person => self.person_links(item, obj, depth, out),
                    Class::Organization => {
                        self.organization_links(item, name_text.as_deref(), depth, out)
                    }
                    _ => {}
                }
                self.obj_of[item].clone()
            }
            Class::Other => {
                let children: Vec<usize> = self.arena.items[item]
                    .props
                    .iter()
                    .filter_map(|(_, v)| self.item(v))
                    .collect();
                for c in children {
                    self.visit(c, depth + 1, out);
                }
                None
            }
        }
    }

    fn person_name(&self, item: usize) -> Option<(String, Option<u32>)> {
        if let Some(n) = self.text(item, &["name"]) {
            return Some(n);
        }
        let given = self.text(item, &["givenName"]);
        let family = self.text(item, &["familyName"]);
        let node = given
            .as_ref()
            .and_then(|g| g.1)
            .or(family.as_ref().and_then(|f| f.1));
        let parts: Vec<String> = [given, family].into_iter().flatten().map(|p| p.0).collect();
        values::text(&parts.join(" ")).map(|n| (n, node))
    }

    /// Email, telephone, url, sameAs, address — also read through `contactPoint` items.
    fn contact_fields(&mut self, item: usize, obj: Obj, out: &mut Out<'_, '_>) {
        let mut sources = vec![item];
        let cps: Vec<usize> = self
            .props(item, &["contactPoint", "contactPoints"])
            .filter_map(|v| self.item(v))
            .collect();
        sources.extend(cps.into_iter().take(32));
        for (i, src) in sources.into_iter().enumerate() {
            for v in self.props(src, &["email"]) {
                if let Val::Text { text, node } = v {
                    if let Some(e) = values::email(text) {
                        self.push(out, obj, CandidateField::Email, e, Some(text), *node);
                    }
                }
            }
            for v in self.props(src, &["telephone", "phone", "tel"]) {
                if let Val::Text { text, node } = v {
                    if let Some(p) = values::phone(text, out.region) {
                        self.push(out, obj, CandidateField::Phone, p, Some(text), *node);
                    }
                }
            }
            if i > 0 {
                continue; // a contact point's url is a form or a help page, not the contact's site
            }
            for v in self.props(src, &["url"]) {
                if let Val::Text { text, node } = v {
                    if let Some((field, u)) = values::url(text) {
                        self.push(out, obj, field, u, None, *node);
                    }
                }
            }
            for v in self.props(src, &["sameAs"]) {
                if let Val::Text { text, node } = v {
                    if let Some(p) = values::profile(text) {
                        self.push(out, obj, CandidateField::Profile, p, None, *node);
                    }
                }
            }
            if obj.kind == ContactKind::Person {
                // `title` is data-vocabulary.org's (schema.org's predecessor) name for it.
                if let Some((t, node)) = self.text(src, &["jobTitle", "title"]) {
                    self.push(out, obj, CandidateField::Title, t, None, node);
                }
            }
            let addresses: Vec<&'r Val> = self
                .props(src, &["address", "location", "homeLocation"])
                .collect();
            for v in addresses {
                if let Some((loc, node)) = self.location(v, 0) {
                    self.push(out, obj, CandidateField::Location, loc, None, node);
                    break;
                }
            }
        }
    }

    /// A `PostalAddress` (or a `Place` with one), or an address written as text.
    fn location(&self, v: &'r Val, depth: u32) -> Option<(String, Option<u32>)> {
        if let Val::Text { text, node } = v {
            return values::text(text).map(|t| (t, *node));
        }
        let i = self.item(v)?;
        if depth > 2 {
            return None;
        }
        let part = |names: &'r [&'r str]| {
            self.props(i, names).find_map(|v| match v {
                Val::Text { text, node } => Some((text.as_str(), *node)),
                _ => {
                    let c = self.item(v)?;
                    self.props(c, &["name"]).find_map(|v| match v {
                        Val::Text { text, node } => Some((text.as_str(), *node)),
                        _ => None,
                    })
                }
            })
        };
        // schema.org names, then data-vocabulary.org's.
        let parts = [
            part(&["addressLocality", "locality"]),
            part(&["addressRegion", "region"]),
            part(&["addressCountry", "country-name", "countryName"]),
        ];
        let node = parts
            .iter()
            .flatten()
            .find_map(|p| p.1)
            .or(self.arena.items[i].node);
        if let Some(loc) = values::location(parts.iter().flatten().map(|p| p.0)) {
            return Some((loc, node));
        }
        // A Place: its address, else nothing (a Place's name is a venue, not a location).
        self.props(i, &["address"])
            .find_map(|v| self.location(v, depth + 1))
    }

    fn person_links(&mut self, item: usize, obj: Obj, depth: u32, out: &mut Out<'_, '_>) {
        let links: Vec<&'r Val> = self
            .props(item, &["worksFor", "affiliation", "memberOf"])
            .collect();
        for v in links {
            let company = match v {
                Val::Text { text, node } => values::text(text).map(|t| (t, *node)),
                _ => match self.item(v) {
                    Some(org) if self.class_of(org, Class::Organization) == Class::Organization => {
                        let node = self.arena.items[org].node;
                        self.visit_as(org, Class::Organization, depth + 1, out)
                            .and_then(|(_, name)| name)
                            .map(|n| (n, node))
                    }
                    // memberOf a ProgramMembership, affiliation to something untyped: its name only
                    // if it is an organisation.
                    _ => None,
                },
            };
            if let Some((c, node)) = company {
                self.has_company.insert(obj.id);
                self.push(out, obj, CandidateField::Company, c, None, node);
            }
        }
    }

    fn organization_links(
        &mut self,
        item: usize,
        name: Option<&str>,
        depth: u32,
        out: &mut Out<'_, '_>,
    ) {
        const PEOPLE: &[&str] = &[
            "employee",
            "employees",
            "member",
            "members",
            "founder",
            "founders",
            "contactPerson",
        ];
        const ORGS: &[&str] = &[
            "department",
            "subOrganization",
            "parentOrganization",
            "member",
            "members",
        ];
        const NAMED_PEOPLE: &[&str] = &[
            "employee",
            "employees",
            "founder",
            "founders",
            "contactPerson",
        ];
        let company = |name: &str, provenance| Value {
            field: CandidateField::Company,
            value: name.to_string(),
            raw: None,
            provenance,
            confidence: 0.9,
            node: None,
        };
        // An untyped employee or founder is a person; an untyped member could be either.
        let people: Vec<(usize, Class)> = self.arena.items[item]
            .props
            .iter()
            .filter(|(k, _)| PEOPLE.contains(&k.as_str()))
            .filter_map(|(k, v)| {
                let untyped = if NAMED_PEOPLE.contains(&k.as_str()) {
                    Class::Person
                } else {
                    Class::Other
                };
                self.item(v).map(|i| (i, untyped))
            })
            .collect();
        for (p, untyped) in people {
            let is_person = self.class_of(p, untyped) == Class::Person;
            let visited = self.visit_as(p, untyped, depth + 1, out);
            if let (true, Some((pobj, _)), Some(name)) = (is_person, visited, name) {
                if pobj.kind == ContactKind::Person && !self.has_company.contains(&pobj.id) {
                    out.push(Some(pobj), company(name, self.provenance));
                }
            }
        }
        // `"founder": "Jane Doe"`: a person named in text.
        let named: Vec<(String, Option<u32>)> = self
            .props(item, NAMED_PEOPLE)
            .filter_map(|v| match v {
                Val::Text { text, node } => values::text(text).map(|t| (t, *node)),
                _ => None,
            })
            .collect();
        for (person, node) in named {
            let pobj = out.object(ContactKind::Person);
            self.push(out, pobj, CandidateField::Name, person, None, node);
            if let Some(name) = name {
                out.push(Some(pobj), company(name, self.provenance));
            }
        }
        let orgs: Vec<usize> = self
            .props(item, ORGS)
            .filter_map(|v| self.item(v))
            .collect();
        for o in orgs {
            self.visit(o, depth + 1, out);
        }
    }

    fn push(
        &self,
        out: &mut Out<'_, '_>,
        obj: Obj,
        field: CandidateField,
        value: String,
        raw: Option<&str>,
        node: Option<u32>,
    ) {
        let v = Value {
            field,
            value,
            raw,
            provenance: self.provenance,
            confidence: confidence(field),
            node,
        };
        out.push(Some(obj), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_types() {
        for t in [
            "Organization",
            "LocalBusiness",
            "Corporation",
            "Restaurant",
            "Dentist",
            "EducationalOrganization",
            "HomeAndConstructionBusiness",
            "ProfessionalService",
            "NGO",
        ] {
            assert!(is_organization(t), "{t}");
        }
        for t in [
            "Person",
            "WebPage",
            "Brand",
            "Product",
            "Event",
            "PostalAddress",
            "ContactPoint",
            "Service",
            "TaxiService",
        ] {
            assert!(!is_organization(t), "{t}");
        }
        assert_eq!(
            short_name("https://schema.org/LocalBusiness"),
            "LocalBusiness"
        );
        assert_eq!(short_name("schema:Person"), "Person");
    }
}
