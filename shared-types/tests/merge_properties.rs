//! Property tests for the one merge function and the hybrid logical clock (DESIGN.md "Sync
//! protocol": merge is a pure, commutative, associative, idempotent function; deletes win; the HLC
//! wire form sorts like the clock; every client advances its clock past what it sees).
//!
//! The generators use deliberately tiny value ranges (a handful of millis, counters, nodes, field
//! names, tag names and values) so that equal clocks, equal millis with different counters, and the
//! "same clock, different value" tie — which only a buggy or hostile writer produces, but which the
//! merge must still resolve deterministically — come up in most cases, not once in a million.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leadsync_types::hlc::MAX_COUNTER;
use leadsync_types::lead::{FieldRegister, Registers, TagRegister};
use leadsync_types::sync::Mutation;
use leadsync_types::{Field, Hlc, HlcClock, HlcError, Lead, Register, MAX_FUTURE_SKEW_MS};
use proptest::prelude::*;
use uuid::Uuid;

const MAX_MILLIS: u64 = 9_999_999_999_999;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// A clock from a tiny space (4 millis x 3 counters x 3 nodes = 36 values): collisions galore.
fn small_hlc() -> impl Strategy<Value = Hlc> {
    (0u64..4, 0u16..3, 0u128..3).prop_map(|(m, c, n)| Hlc::new(1_700_000_000_000 + m, c, n))
}

/// Any clock the wire form can carry, biased towards the edges of each part.
fn any_valid_hlc() -> impl Strategy<Value = Hlc> {
    let millis = prop_oneof![
        Just(0u64),
        Just(MAX_MILLIS),
        0u64..1000,
        1_700_000_000_000u64..1_700_000_000_100,
        0u64..=MAX_MILLIS,
    ];
    let counter = prop_oneof![Just(0u16), Just(MAX_COUNTER), 0u16..16, 0u16..=MAX_COUNTER];
    let node = prop_oneof![
        Just(0u128),
        Just(u128::MAX),
        0u128..16,
        any::<u128>(),
        // Nodes that differ only in one nibble / in the high bits.
        (0u32..32, 0u128..16).prop_map(|(shift, nib)| nib << (shift * 4)),
    ];
    (millis, counter, node).prop_map(|(m, c, n)| Hlc::new(m, c, n))
}

/// A few fields only, so both sides often hold the same one.
fn small_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        Just(Field::Name),
        Just(Field::Email),
        Just(Field::Status),
        Just(Field::Notes)
    ]
}

/// Cleared (`None`), empty, or one of two short strings.
fn small_value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("a".to_string())),
        Just(Some("b".to_string()))
    ]
}

fn field_register() -> impl Strategy<Value = FieldRegister> {
    (small_value(), small_hlc()).prop_map(|(v, h)| Register::new(v, h))
}

fn tag_register() -> impl Strategy<Value = TagRegister> {
    (any::<bool>(), small_hlc()).prop_map(|(v, h)| Register::new(v, h))
}

fn registers() -> impl Strategy<Value = Registers> {
    (
        prop::collection::btree_map(small_field(), field_register(), 0..5),
        prop::collection::btree_map(
            prop_oneof![
                Just("vip".to_string()),
                Just("hot".to_string()),
                Just("".to_string())
            ],
            tag_register(),
            0..4,
        ),
        prop::collection::btree_map(
            prop_oneof![
                Just("mailto:jane@acme.com".to_string()),
                Just("tel:+14155550100".to_string())
            ],
            tag_register(),
            0..3,
        ),
        prop::option::weighted(0.3, small_hlc()),
    )
        .prop_map(|(fields, tags, other_contacts, deleted)| Registers {
            fields,
            tags,
            other_contacts,
            deleted,
        })
}

/// Two registers sets where the second is a mutated copy of the first, so that identical clocks with
/// different values (and identical registers) show up on both sides.
fn related_pair() -> impl Strategy<Value = (Registers, Registers)> {
    (registers(), registers(), any::<u64>()).prop_map(|(a, mut b, salt)| {
        // Copy some of a's registers into b verbatim, and some with the same clock but another value.
        for (i, (f, r)) in a.fields.iter().enumerate() {
            match (salt >> (2 * i)) & 3 {
                0 => {
                    b.fields.insert(*f, r.clone());
                }
                1 => {
                    let other = match r.value.as_deref() {
                        None => Some("a".to_string()),
                        Some("a") => Some("b".to_string()),
                        Some(_) => None,
                    };
                    b.fields.insert(*f, Register::new(other, r.hlc));
                }
                _ => {}
            }
        }
        for (i, (t, r)) in a.tags.iter().enumerate() {
            if (salt >> (20 + i)) & 1 == 1 {
                b.tags.insert(t.clone(), Register::new(!r.value, r.hlc));
            }
        }
        for (i, (c, r)) in a.other_contacts.iter().enumerate() {
            if (salt >> (30 + i)) & 1 == 1 {
                b.other_contacts
                    .insert(c.clone(), Register::new(!r.value, r.hlc));
            }
        }
        if (salt >> 40) & 3 == 0 {
            b.deleted = a.deleted;
        }
        (a, b)
    })
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn join(a: &Registers, b: &Registers) -> Registers {
    let mut out = a.clone();
    out.merge(b);
    out
}

/// The join computed from scratch, without `merge`: per key the greatest `(hlc, value)`, the
/// greatest tombstone.
fn oracle_join(sides: &[&Registers]) -> Registers {
    let mut out = Registers::default();
    for side in sides {
        for (f, r) in &side.fields {
            let keep = match out.fields.get(f) {
                Some(mine) => (&r.hlc, &r.value) > (&mine.hlc, &mine.value),
                None => true,
            };
            if keep {
                out.fields.insert(*f, r.clone());
            }
        }
        for (set, side_set) in [
            (&mut out.tags, &side.tags),
            (&mut out.other_contacts, &side.other_contacts),
        ] {
            for (t, r) in side_set {
                let keep = match set.get(t) {
                    Some(mine) => (&r.hlc, &r.value) > (&mine.hlc, &mine.value),
                    None => true,
                };
                if keep {
                    set.insert(t.clone(), r.clone());
                }
            }
        }
        out.deleted = match (out.deleted, side.deleted) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
    }
    out
}

fn reg_le<T: Ord>(a: &Register<T>, b: &Register<T>) -> bool {
    (&a.hlc, &a.value) <= (&b.hlc, &b.value)
}

/// `a ⊑ b`: every register of `a` is present in `b` and no greater there; `a`'s tombstone too.
fn leq(a: &Registers, b: &Registers) -> Result<(), String> {
    for (f, r) in &a.fields {
        match b.fields.get(f) {
            Some(rb) if reg_le(r, rb) => {}
            other => return Err(format!("field {f}: {r:?} not <= {other:?}")),
        }
    }
    for (what, set_a, set_b) in [
        ("tag", &a.tags, &b.tags),
        ("other contact", &a.other_contacts, &b.other_contacts),
    ] {
        for (t, r) in set_a {
            match set_b.get(t) {
                Some(rb) if reg_le(r, rb) => {}
                other => return Err(format!("{what} {t:?}: {r:?} not <= {other:?}")),
            }
        }
    }
    if a.deleted > b.deleted {
        return Err(format!("tombstone {:?} not <= {:?}", a.deleted, b.deleted));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Merge properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn merge_is_commutative((a, b) in related_pair()) {
        prop_assert_eq!(join(&a, &b), join(&b, &a));
    }

    #[test]
    fn merge_is_associative(a in registers(), (b, c) in related_pair()) {
        let left = join(&join(&a, &b), &c);
        let right = join(&a, &join(&b, &c));
        prop_assert_eq!(&left, &right);
        // And any order of the three gives the same.
        prop_assert_eq!(&left, &join(&join(&c, &a), &b));
        prop_assert_eq!(&left, &join(&join(&b, &c), &a));
    }

    #[test]
    fn merge_is_idempotent((a, b) in related_pair()) {
        let mut x = a.clone();
        prop_assert!(!x.merge(&a), "merging a state into itself reported a change");
        prop_assert_eq!(&x, &a);
        // Receiving the same delta twice (a duplicated message) is receiving it once.
        let mut once = join(&a, &b);
        let snapshot = once.clone();
        prop_assert!(!once.merge(&b), "a duplicate delivery reported a change");
        prop_assert_eq!(once, snapshot);
    }

    #[test]
    fn merge_is_the_least_upper_bound((a, b) in related_pair()) {
        let r = join(&a, &b);
        // Monotone: both inputs are below the result.
        if let Err(e) = leq(&a, &r) { prop_assert!(false, "a not <= a⊔b: {}", e); }
        if let Err(e) = leq(&b, &r) { prop_assert!(false, "b not <= a⊔b: {}", e); }
        // Least: nothing is invented, every register of the result comes from one of the inputs.
        let keys_f: BTreeSet<_> = a.fields.keys().chain(b.fields.keys()).collect();
        prop_assert_eq!(keys_f, r.fields.keys().collect::<BTreeSet<_>>());
        let keys_t: BTreeSet<_> = a.tags.keys().chain(b.tags.keys()).collect();
        prop_assert_eq!(keys_t, r.tags.keys().collect::<BTreeSet<_>>());
        for (f, reg) in &r.fields {
            prop_assert!(a.fields.get(f) == Some(reg) || b.fields.get(f) == Some(reg), "field {} invented", f);
        }
        for (t, reg) in &r.tags {
            prop_assert!(a.tags.get(t) == Some(reg) || b.tags.get(t) == Some(reg), "tag {:?} invented", t);
        }
        // And it is exactly the pointwise maximum computed without `merge`.
        prop_assert_eq!(&r, &oracle_join(&[&a, &b]));
    }

    #[test]
    fn deletes_win((a, b) in related_pair(), later in registers()) {
        let r = join(&a, &b);
        prop_assert_eq!(r.deleted.is_some(), a.deleted.is_some() || b.deleted.is_some());
        prop_assert_eq!(r.deleted, a.deleted.max(b.deleted));
        // Nothing merged afterwards — however late its clocks — brings a deleted lead back.
        if r.deleted.is_some() {
            let mut later = later;
            later.deleted = None;
            for reg in later.fields.values_mut() { reg.hlc.millis += 1_000_000; }
            for reg in later.tags.values_mut() { reg.hlc.millis += 1_000_000; }
            prop_assert!(join(&r, &later).deleted.is_some());
            prop_assert!(join(&later, &r).deleted.is_some());
        }
    }

    #[test]
    fn changed_is_true_iff_the_state_changed((a, b) in related_pair()) {
        let mut x = a.clone();
        let changed = x.merge(&b);
        prop_assert_eq!(changed, x != a, "changed={} but before={:?} after={:?}", changed, a, x);
        // Through Lead::merge too.
        let id = Uuid::from_u128(7);
        let mut la = Lead { id, registers: a.clone() };
        let lb = Lead { id, registers: b.clone() };
        prop_assert_eq!(la.merge(&lb), Ok(changed));
        prop_assert_eq!(la.registers, x);
    }

    #[test]
    fn lead_merge_refuses_other_ids_and_leaves_state_alone((a, b) in related_pair()) {
        let mut la = Lead { id: Uuid::from_u128(1), registers: a.clone() };
        let lb = Lead { id: Uuid::from_u128(2), registers: b };
        prop_assert!(la.merge(&lb).is_err());
        prop_assert_eq!(la.registers, a);
    }

    #[test]
    fn mutation_carries_its_registers_and_survives_json(a in registers(), mid in 1u64..1000) {
        let m = Mutation {
            mid,
            lead_id: Uuid::from_u128(9),
            fields: a.fields.clone(),
            tags: a.tags.clone(),
            other_contacts: a.other_contacts.clone(),
            deleted: a.deleted,
        };
        prop_assert_eq!(&m.to_lead().registers, &a);
        prop_assert_eq!(m.to_lead().id, m.lead_id);
        let mut hlcs: Vec<Hlc> = m.hlcs().collect();
        hlcs.sort();
        prop_assert_eq!(hlcs.last().copied(), a.max_hlc());
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Mutation>(&json).unwrap(), m);
        let lead = Lead { id: Uuid::from_u128(3), registers: a };
        let json = serde_json::to_string(&lead).unwrap();
        prop_assert_eq!(serde_json::from_str::<Lead>(&json).unwrap(), lead);
    }

    #[test]
    fn lead_setters_agree_with_merging_a_one_register_delta(
        a in registers(), f in small_field(), v in small_value(), t in small_hlc(), tag_on in any::<bool>(),
    ) {
        let id = Uuid::from_u128(5);
        let mut via_set = Lead { id, registers: a.clone() };
        let c1 = via_set.set(f, v.clone(), t);
        let c2 = via_set.set_tag("vip", tag_on, t);
        let c3 = via_set.delete(t);
        let c4 = via_set.set_other_contact("tel:+14155550100", tag_on, t);
        let mut delta = Registers { deleted: Some(t), ..Default::default() };
        delta.fields.insert(f, Register::new(v, t));
        delta.tags.insert("vip".to_string(), Register::new(tag_on, t));
        delta.other_contacts.insert("tel:+14155550100".to_string(), Register::new(tag_on, t));
        let mut via_merge = a.clone();
        let c = via_merge.merge(&delta);
        prop_assert_eq!(&via_set.registers, &via_merge);
        prop_assert_eq!(c1 || c2 || c3 || c4, c);
    }
}

// ---------------------------------------------------------------------------------------------
// HLC properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn wire_string_order_is_clock_order(a in any_valid_hlc(), b in any_valid_hlc()) {
        let (sa, sb) = (a.to_string(), b.to_string());
        prop_assert_eq!(sa.len(), 13 + 1 + 4 + 1 + 32, "{}", sa);
        prop_assert_eq!(a.cmp(&b), sa.cmp(&sb), "{} vs {}", sa, sb);
    }

    #[test]
    fn wire_string_order_is_clock_order_for_near_values(a in small_hlc(), b in small_hlc()) {
        prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
    }

    #[test]
    fn parse_display_round_trips(h in any_valid_hlc()) {
        let s = h.to_string();
        prop_assert_eq!(s.parse::<Hlc>(), Ok(h));
        prop_assert_eq!(Hlc::new(h.millis, h.counter, h.node).node_uuid().as_u128(), h.node);
        let json = serde_json::to_string(&h).unwrap();
        prop_assert_eq!(&json, &format!("\"{s}\""));
        prop_assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), h);
    }

    #[test]
    fn parse_refuses_near_misses(h in any_valid_hlc(), pos in 0usize..50, byte in prop::sample::select(b"-_ 9aAfFgG:+".to_vec())) {
        let s = h.to_string();
        let mut b = s.clone().into_bytes();
        b[pos] = byte;
        let mutated = String::from_utf8(b).unwrap();
        match mutated.parse::<Hlc>() {
            // A replacement may still be valid (a digit for a digit); then it must round-trip.
            Ok(p) => prop_assert_eq!(p.to_string(), mutated),
            Err(e) => prop_assert!(matches!(e, HlcError::Malformed(_))),
        }
    }
}

/// One step fed to a clock under test.
#[derive(Clone, Debug)]
enum Step {
    /// The wall clock jumps by this many ms (negative: it goes back, e.g. an NTP correction).
    Wall(i64),
    /// Hand out a local timestamp.
    Tick,
    /// Observe a remote stamp this many ms away from the local wall clock, with this counter and node.
    Observe {
        ahead_ms: i64,
        counter: u16,
        node: u128,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let within = MAX_FUTURE_SKEW_MS as i64;
    prop_oneof![
        3 => prop_oneof![-3i64..=3, -5_000i64..5_000, Just(-3_600_000i64), Just(within)].prop_map(Step::Wall),
        4 => Just(Step::Tick),
        4 => (
            prop_oneof![-3i64..=3, -within * 2..=within, Just(within), Just(within + 1), within + 1..within * 3],
            prop_oneof![0u16..4, Just(MAX_COUNTER - 1), Just(MAX_COUNTER)],
            prop_oneof![0u128..4, any::<u128>()],
        )
            .prop_map(|(ahead_ms, counter, node)| Step::Observe { ahead_ms, counter, node }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn clock_hands_out_strictly_increasing_stamps_past_every_accepted_remote(
        start in prop_oneof![Just(0u64), 1u64..10_000, Just(1_700_000_000_000u64)],
        node in prop_oneof![0u128..4, any::<u128>()],
        resume_from in prop::option::of((0u64..2_000_000_000_000, 0u16..=MAX_COUNTER)),
        steps in prop::collection::vec(step(), 1..200),
    ) {
        let now = Rc::new(Cell::new(start));
        let wall = { let now = now.clone(); move || now.get() };
        let mut clock = match resume_from {
            Some((m, c)) => HlcClock::resume(Uuid::from_u128(node), Hlc::new(m, c, 12345), wall),
            None => HlcClock::new(Uuid::from_u128(node), wall),
        };
        let mut floor: Option<Hlc> = resume_from.map(|(m, c)| Hlc::new(m, c, node)); // must be exceeded
        let mut handed_out: Option<Hlc> = None;
        let mut max_wall = start;
        let mut max_remote_millis = resume_from.map_or(0, |(m, _)| m);
        for (i, s) in steps.iter().enumerate() {
            let stamp = match *s {
                Step::Wall(d) => {
                    now.set(now.get().saturating_add_signed(d));
                    max_wall = max_wall.max(now.get());
                    continue;
                }
                Step::Tick => clock.tick(),
                Step::Observe { ahead_ms, counter, node: rnode } => {
                    let millis = now.get().saturating_add_signed(ahead_ms);
                    let remote = Hlc::new(millis, counter, rnode);
                    let before = clock.last();
                    match clock.observe(remote) {
                        Ok(seen) => {
                            prop_assert!(millis <= now.get() + MAX_FUTURE_SKEW_MS, "step {}: accepted {} beyond the skew bound", i, remote);
                            prop_assert!(seen > remote, "step {}: observe({}) gave {} which is not past it", i, remote, seen);
                            max_remote_millis = max_remote_millis.max(millis);
                            floor = floor.max(Some(remote));
                            seen
                        }
                        Err(HlcError::TooFarAhead { ahead_ms: a, limit_ms, .. }) => {
                            prop_assert!(millis > now.get() + MAX_FUTURE_SKEW_MS, "step {}: refused {} within the skew bound", i, remote);
                            prop_assert_eq!(a, millis - now.get());
                            prop_assert_eq!(limit_ms, MAX_FUTURE_SKEW_MS);
                            prop_assert_eq!(clock.last(), before, "a refused stamp moved the clock");
                            continue;
                        }
                        Err(e) => return Err(TestCaseError::fail(format!("unexpected error {e}"))),
                    }
                }
            };
            prop_assert_eq!(stamp.node, node, "step {}: stamp {} carries another node", i, stamp);
            prop_assert_eq!(clock.last(), stamp);
            if let Some(prev) = handed_out {
                prop_assert!(stamp > prev, "step {}: {} not after previous {}", i, stamp, prev);
            }
            if let Some(f) = floor {
                prop_assert!(stamp > f, "step {}: {} not after accepted/resumed {}", i, stamp, f);
            }
            // Physical part never behind the wall clock, and never further ahead than the greatest
            // wall reading / accepted remote stamp (plus the ms borrowed on counter overflow).
            prop_assert!(stamp.millis >= now.get(), "step {}: {} behind wall {}", i, stamp, now.get());
            let borrowed = steps.len() as u64;
            prop_assert!(stamp.millis <= max_wall.max(max_remote_millis) + borrowed, "step {}: {} ran ahead", i, stamp);
            // The wire form still parses and sorts.
            prop_assert_eq!(stamp.to_string().parse::<Hlc>(), Ok(stamp));
            handed_out = Some(stamp);
        }
    }
}

/// Not random, but belongs with the clock properties: ten thousand ticks inside one millisecond
/// overflow the counter, and the clock borrows the next millisecond instead of wrapping.
#[test]
fn counter_overflow_borrows_the_next_millisecond() {
    let mut clock = HlcClock::new(Uuid::from_u128(1), || 5u64);
    let mut prev = clock.tick();
    let mut by_millis: BTreeMap<u64, usize> = BTreeMap::new();
    for _ in 0..25_000 {
        let s = clock.tick();
        assert!(s > prev && s.counter <= MAX_COUNTER, "{s} after {prev}");
        assert!(s.to_string() > prev.to_string());
        *by_millis.entry(s.millis).or_default() += 1;
        prev = s;
    }
    assert_eq!(by_millis.keys().copied().collect::<Vec<_>>(), vec![5, 6, 7]);
}
