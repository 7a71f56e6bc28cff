use super::*;
use crate::scenario::{Body, PlainRequest, Shape, Template, WriteRequest};
use crate::vocab::Generator;

fn path(text: &str) -> Template {
    Template::parse(text, Shape::Path, Generator::ALL).unwrap()
}

fn mix() -> Vec<WeightedRequest> {
    let write = WriteRequest {
        method: "POST".into(),
        path: path("/entries"),
        body: Body::None,
        ack_status: vec![201],
        key: KeySource::Response("/id".into()),
    };
    let plain = |p: &str| PlainRequest {
        method: "GET".into(),
        path: path(p),
        body: Body::None,
        expect_status: vec![200],
    };
    vec![
        WeightedRequest {
            weight: 3,
            request: TrafficRequest::Write(write),
        },
        WeightedRequest {
            weight: 1,
            request: TrafficRequest::Read(plain("/entries/{key}")),
        },
        WeightedRequest {
            weight: 2,
            request: TrafficRequest::Plain(plain("/entries?limit={int 1..9}")),
        },
    ]
}

#[test]
fn kinds_come_in_proportion_to_their_weights() {
    let requests = mix();
    let total = total_weight(&requests);
    let mut counts = [0u32; 3];
    for seq in 1..=6000 {
        let mut draw = Draw::new(5, seq, "r");
        let p = prepare(&requests, total, &mut draw, |_| Some("17".into())).unwrap();
        counts[p.kind] += 1;
        if p.kind == 1 {
            assert_eq!(p.path, "/entries/17");
        }
    }
    // 3:1:2 of 6000 is 3000, 1000 and 2000.
    for (count, expected) in counts.iter().zip([3000, 1000, 2000]) {
        assert!(count.abs_diff(expected) < 200, "{counts:?}");
    }
}

#[test]
fn a_read_without_an_acknowledged_write_is_not_sent() {
    let requests = mix();
    let total = total_weight(&requests);
    let prepared: Vec<Option<usize>> = (1..=200)
        .map(|seq| {
            let mut draw = Draw::new(5, seq, "r");
            prepare(&requests, total, &mut draw, |_| None).map(|p| p.kind)
        })
        .collect();
    assert!(prepared.contains(&None));
    assert!(!prepared.contains(&Some(1)));
    assert!(prepared.contains(&Some(0)) && prepared.contains(&Some(2)));
}
