namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The live part of one incident as instances share it (scale-out): what the decider decides with, and the correlated
/// alerts that changed (all of them when seeding an empty shared state). <see cref="Record"/> is null once the incident is no longer live (closed, merged). The revision is the
/// incident's timeline count: every decision that matters appends an entry, so a higher revision is a later state.
/// The record carries no title, description, customer, category or team: the decider never reads them.
/// </summary>
public sealed record LiveIncident(long Id, int Revision, IncidentRecord? Record, IReadOnlyList<AlertMember> Members);
