//! A chart's value axis: a "nice" range and step over any series of
//! numbers, computed so that it always ends (the step count is bounded, not
//! reached by adding steps) and always covers the values.

/// Values beyond this magnitude are drawn as if they were this large: an
/// axis over ±1e308 would overflow to infinity, and no plan figure comes
/// near it (content with such values is still shown as printed).
pub(crate) const LIMIT: f64 = 1e300;

/// At most this many tick steps, whatever the input: the tick loop is
/// bounded by a count, never by adding a step until a value is reached
/// (which never ends when the step is lost in the rounding of a large value).
pub(crate) const MAX_TICKS: usize = 12;

/// A line chart's axis leaves out zero when the values' spread is under
/// this share of the largest value (see [`Axis::fitted`]).
const ZOOM_BELOW: f64 = 0.1;

/// The smallest and largest finite value, clamped to [`LIMIT`]; (0, 0)
/// when there is none.
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut vmin, mut vmax) = (f64::MAX, f64::MIN);
    for v in values.filter(|v| v.is_finite()) {
        let v = v.clamp(-LIMIT, LIMIT);
        vmin = vmin.min(v);
        vmax = vmax.max(v);
    }
    if vmax == f64::MIN {
        (0.0, 0.0)
    } else {
        (vmin, vmax)
    }
}

/// A value axis: from `lo` in `count` steps of `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub step: f64,
    pub count: usize,
}

impl Axis {
    /// A "nice" axis over `values` that includes zero. Total for every
    /// input: non-finite values are ignored (the loader rejects them),
    /// magnitudes are clamped to [`LIMIT`], equal values get a span of
    /// their own size, and the result always has a finite, positive step,
    /// `lo <= min`, `hi() >= max`, and `1 ..= MAX_TICKS` steps.
    pub fn over(values: impl Iterator<Item = f64>) -> Axis {
        let (vmin, vmax) = range(values);
        Axis::spanning(vmin.min(0.0), vmax.max(0.0))
    }

    /// The axis of a line chart: [`Axis::over`], unless every value is
    /// positive and they lie close together far from zero (a tax collection
    /// rate of 98.9% against a target of 99.0%): then the axis spans the
    /// values only, so that their differences can be seen, and `broken`
    /// says the chart must mark that it does not start at zero.
    pub fn fitted(values: impl Iterator<Item = f64> + Clone) -> (Axis, bool) {
        let (vmin, vmax) = range(values.clone());
        if vmin > 0.0 && vmax > vmin && vmax < LIMIT && vmax - vmin < vmax * ZOOM_BELOW {
            // A margin below the lowest value keeps it off the axis line.
            let axis = Axis::spanning(vmin - (vmax - vmin) / 4.0, vmax);
            if axis.lo > 0.0 {
                return (axis, true);
            }
        }
        (Axis::over(values), false)
    }

    /// A nice axis from at or below `vmin` to at or above `vmax`.
    fn spanning(vmin: f64, vmax: f64) -> Axis {
        let magnitude = vmin.abs().max(vmax.abs());
        let mut span = vmax - vmin;
        // Equal values (or a span lost in rounding): give the axis a span
        // proportionate to the value, so that its ticks differ.
        if span <= magnitude * 1e-9 {
            span = if magnitude > 0.0 { magnitude } else { 1.0 };
        }
        let mut step = nice_step(span, 4.0);
        // A step too small to move the largest value would repeat labels.
        step = step.max(magnitude * 1e-12).max(f64::MIN_POSITIVE);
        let mut lo = (vmin / step).floor() * step;
        // A tiny negative beside a huge value: `vmin / step` underflows to
        // -0, and `lo` would be 0, above `vmin`.
        if lo > vmin {
            lo -= step;
        }
        let mut count = (((vmax - lo) / step).floor() as usize).saturating_add(1);
        // A tiny positive beside a huge negative: `(vmax - lo) / step` rounds
        // down to a whole number of steps that ends at 0, below `vmax`.
        if lo + step * (count as f64) < vmax {
            count = count.saturating_add(1);
        }
        if count > MAX_TICKS {
            // Can only happen when rounding pushed `lo` far below `vmin`:
            // widen the step until the ticks fit.
            step = nice_step(vmax - lo, (MAX_TICKS - 1) as f64);
            count = (((vmax - lo) / step).ceil() as usize).clamp(1, MAX_TICKS);
        }
        Axis {
            lo,
            step,
            count: count.clamp(1, MAX_TICKS),
        }
    }

    pub fn hi(&self) -> f64 {
        self.lo + self.step * self.count as f64
    }

    /// Panics unless this axis keeps its promises for `values`: a finite,
    /// positive step, a bounded number of strictly rising ticks, and every
    /// finite value (clamped to [`LIMIT`]) between `lo` and `hi`. For the
    /// unit tests and the fuzz target, which check the same thing.
    #[cfg(any(test, fuzzing))]
    pub fn assert_covers(&self, values: &[f64]) {
        assert!(self.step.is_finite() && self.step > 0.0, "{self:?}");
        assert!(self.lo.is_finite() && self.hi().is_finite(), "{self:?}");
        assert!((1..=MAX_TICKS).contains(&self.count), "{self:?}");
        let ticks: Vec<f64> = self.ticks().collect();
        assert!(ticks.windows(2).all(|w| w[0] < w[1]), "{self:?} {ticks:?}");
        for v in values.iter().filter(|v| v.is_finite()) {
            let v = v.clamp(-LIMIT, LIMIT);
            assert!(self.lo <= v.min(0.0), "{self:?} does not reach down to {v}");
            assert!(self.hi() >= v, "{self:?} does not reach up to {v}");
        }
    }

    /// The tick values, `lo` to `hi` inclusive.
    pub fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        (0..=self.count).map(|i| self.lo + self.step * i as f64)
    }
}

/// A "nice" step (1, 2, 2.5 or 5 × a power of ten) for about `n` ticks over
/// `span`; finite and positive for every finite positive `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = nice * mag;
    if step.is_finite() && step > 0.0 {
        step
    } else {
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(400000.0, 4.0), 100000.0);
        assert_eq!(nice_step(243.0, 4.0), 100.0);
        assert_eq!(nice_step(1.0, 4.0), 0.25);
    }
}
