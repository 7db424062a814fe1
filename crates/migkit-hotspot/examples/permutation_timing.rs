//! Wall time of the permutation-based statistics on rook and queen lattices (release build):
//!
//! ```text
//! cargo run --release -p migkit-hotspot --example permutation_timing -- 50 100 200 500
//! ```
//!
//! Each argument is the side of a square lattice (n = side²); 999 permutations, seed 1.

// A command-line timing tool: printing the table is its purpose.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use migkit_hotspot::{
    LocalGOptions, LocalMoranOptions, MoranOptions, Weights, local_g, local_moran, moran,
};

/// A `side × side` lattice, rook (edges) or queen (edges and corners).
fn lattice(side: usize, queen: bool) -> Weights {
    let ids: Vec<String> = (0..side * side).map(|k| k.to_string()).collect();
    let mut nb = Vec::with_capacity(side * side);
    for r in 0..side as isize {
        for c in 0..side as isize {
            let mut list = Vec::new();
            for (dr, dc) in [
                (-1, 0),
                (1, 0),
                (0, -1),
                (0, 1),
                (-1, -1),
                (-1, 1),
                (1, -1),
                (1, 1),
            ]
            .into_iter()
            .take(if queen { 8 } else { 4 })
            {
                let (rr, cc) = (r + dr, c + dc);
                if rr >= 0 && cc >= 0 && rr < side as isize && cc < side as isize {
                    list.push(ids[rr as usize * side + cc as usize].clone());
                }
            }
            nb.push(list);
        }
    }
    Weights::from_neighbours(ids, &nb, None).expect("a lattice is valid")
}

/// Best of `repeat` runs, in seconds.
fn time<T>(repeat: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..repeat)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let sides: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("a lattice side"))
        .collect();
    let sides = if sides.is_empty() {
        vec![50, 100, 200]
    } else {
        sides
    };
    println!("threads: {}", rayon::current_num_threads());
    println!("contiguity\tn\tmoran_s\tlocal_moran_s\tlocal_g_star_s");
    for side in sides {
        for queen in [false, true] {
            let w = lattice(side, queen);
            let n = side * side;
            // A smooth surface plus noise, non-negative for G*.
            let y: Vec<f64> = (0..n)
                .map(|k| {
                    let (r, c) = ((k / side) as f64, (k % side) as f64);
                    10.0 + (r / 7.0).sin() + (c / 5.0).cos() + ((k * 7919) % 101) as f64 / 50.0
                })
                .collect();
            let seed = Some(1);
            let repeat = if n > 100_000 { 1 } else { 3 };
            let g = time(repeat, || {
                moran(
                    &y,
                    &w,
                    &MoranOptions {
                        seed,
                        ..Default::default()
                    },
                )
                .unwrap()
            });
            let lm = time(repeat, || {
                local_moran(
                    &y,
                    &w,
                    &LocalMoranOptions {
                        seed,
                        ..Default::default()
                    },
                )
                .unwrap()
            });
            let gs = time(repeat, || {
                let opts = LocalGOptions {
                    star: true,
                    seed,
                    ..Default::default()
                };
                local_g(&y, &w, &opts).unwrap()
            });
            let kind = if queen { "queen" } else { "rook" };
            println!("{kind}\t{n}\t{g:.4}\t{lm:.4}\t{gs:.4}");
        }
    }
}
