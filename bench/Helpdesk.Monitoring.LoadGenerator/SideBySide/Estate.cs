namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>What one notification does to an identity.</summary>
internal enum Step : byte
{
    /// <summary>An idle identity starts failing: a PROBLEM, an alert that starts firing.</summary>
    Fire,

    /// <summary>A firing identity is reported again: another contact's copy, a re-notification, a re-sent alert.</summary>
    Repeat,

    /// <summary>A firing identity recovers: a RECOVERY, an alert with endsAt.</summary>
    Resolve,
}

/// <summary>
/// The generator's belief of what is firing, one part per connection. Each connection owns the identities whose index
/// modulo the connection count is its own and waits for each answer before it sends again, so the order in which an
/// identity's notifications reach a system is the order they were made in, and after a run the firing set both
/// systems hold must equal this one exactly.
/// </summary>
internal sealed class Estate
{
    private readonly Part[] _parts;

    public Estate(int identities, int connections)
    {
        Identities = identities;
        _parts = new Part[connections];
        for (var c = 0; c < connections; c++)
        {
            _parts[c] = new Part(Enumerable.Range(0, identities).Where(i => i % connections == c).ToArray());
        }
    }

    public int Identities { get; }

    public Part For(int connection) => _parts[connection];

    public int FiringCount => _parts.Sum(p => p.FiringCount);

    public IEnumerable<int> Firing() => _parts.SelectMany(p => p.Firing());

    /// <summary>The share of the steady phase's notifications that changed an identity's state (fired or resolved).</summary>
    public double ChangeShare()
    {
        var changes = _parts.Sum(p => p.Sent(Step.Fire) + p.Sent(Step.Resolve));
        var all = changes + _parts.Sum(p => p.Sent(Step.Repeat));
        return all == 0 ? 0 : (double)changes / all;
    }

    /// <summary>One connection's identities, split into firing and idle, each pickable at random in O(1).</summary>
    internal sealed class Part
    {
        private readonly int[] _order; // firing identities first, then idle ones
        private readonly Dictionary<int, int> _touched = [];
        private readonly long[] _sent = new long[3];
        private int _firing;
        private int _batch;

        public Part(int[] identities)
        {
            _order = identities;
        }

        public int FiringCount => _firing;

        public int IdleCount => _order.Length - _firing;

        public IEnumerable<int> Firing() => _order.Take(_firing);

        /// <summary>A new request: an identity changed in it is not touched again before it is answered.</summary>
        public void NewBatch() => _batch++;

        /// <summary>
        /// The next notification: a repeat of a firing identity with probability <paramref name="repeatRatio"/>, else a
        /// change: an idle identity fires or, when none is idle or every idle one was changed in this request already,
        /// a firing one resolves.
        /// </summary>
        public (int Identity, Step Step) Next(Random random, double repeatRatio)
        {
            if (_firing > 0 && random.NextDouble() < repeatRatio)
            {
                return Counted((_order[random.Next(_firing)], Step.Repeat));
            }

            // An identity changed in this request is not changed again in it (the order of one request's notifications
            // is not promised by every system). The identities this request resolved are idle, so picking among the
            // idle ones alone would soon find only those, and every later change would fall back to a repeat: after
            // a few idle picks that were all taken, resolve instead.
            for (var attempt = 0; attempt < 16; attempt++)
            {
                var fire = IdleCount > 0 && (attempt < 4 || _firing == 0);
                var at = fire ? _firing + random.Next(IdleCount) : random.Next(_firing);
                var identity = _order[at];
                if (_touched.TryGetValue(identity, out var batch) && batch == _batch)
                {
                    continue;
                }

                _touched[identity] = _batch;
                Move(at, fire);
                return Counted((identity, fire ? Step.Fire : Step.Resolve));
            }

            // Everything nearby was touched in this request already (tiny estates only): send a repeat instead.
            return Counted(_firing > 0 ? (_order[random.Next(_firing)], Step.Repeat) : (_order[0], Step.Repeat));
        }

        /// <summary>How many of each step this part sent in the steady phase (the report says what was really sent).</summary>
        public long Sent(Step step) => _sent[(int)step];

        private (int Identity, Step Step) Counted((int Identity, Step Step) next)
        {
            _sent[(int)next.Step]++;
            return next;
        }

        /// <summary>The first idle identity fires (priming), or -1 when all fire.</summary>
        public int FireNextIdle()
        {
            if (IdleCount == 0)
            {
                return -1;
            }

            var identity = _order[_firing];
            Move(_firing, fire: true);
            return identity;
        }

        private void Move(int at, bool fire)
        {
            // Swap across the boundary between the firing and the idle part, then move the boundary.
            var boundary = fire ? _firing : _firing - 1;
            (_order[at], _order[boundary]) = (_order[boundary], _order[at]);
            _firing += fire ? 1 : -1;
        }
    }
}
