import { coerceDateTime, coerceUuid } from '../prefect-compat/validation/coerce';
import { toUtcMicros } from '../related/runs/time';

/** A resource of an event: string labels, `prefect.resource.id` always among them. */
export type Resource = Record<string, string>;

/** Prefect's Event, as its client sends it over `/api/events/in` (one JSON object a frame). */
export interface PrefectEvent {
  id: string;
  occurred: string;
  event: string;
  resource: Resource;
  related: Resource[];
  payload: Record<string, unknown>;
  follows: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function resource(v: unknown, where: string): Resource {
  if (!isObject(v)) throw new InvalidEvent(`${where} is not an object`);
  for (const value of Object.values(v))
    if (typeof value !== 'string') throw new InvalidEvent(`${where} has a label that is not a string`);
  if (typeof v['prefect.resource.id'] !== 'string' || !v['prefect.resource.id'])
    throw new InvalidEvent(`${where} has no prefect.resource.id`);
  return v as Resource;
}

export class InvalidEvent extends Error {}

/**
 * One frame as an Event, checked as Prefect's Event model checks it (id and follows are UUIDs, occurred a
 * timestamp, every resource a set of string labels with an id); throws InvalidEvent otherwise.
 */
export function parseEvent(frame: string): PrefectEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    throw new InvalidEvent('the frame is not JSON');
  }
  if (!isObject(raw)) throw new InvalidEvent('the frame is not a JSON object');
  const id = coerceUuid(raw.id);
  if (!id) throw new InvalidEvent('id is not a UUID');
  const occurred = coerceDateTime(raw.occurred);
  if (!occurred) throw new InvalidEvent('occurred is not a timestamp');
  if (typeof raw.event !== 'string' || !raw.event) throw new InvalidEvent('event is not a name');
  const related = raw.related ?? [];
  if (!Array.isArray(related)) throw new InvalidEvent('related is not a list');
  const payload = raw.payload ?? {};
  if (!isObject(payload)) throw new InvalidEvent('payload is not an object');
  const follows = raw.follows === undefined || raw.follows === null ? null : coerceUuid(raw.follows);
  if (follows === undefined) throw new InvalidEvent('follows is not a UUID');
  return {
    id,
    occurred: toUtcMicros(occurred),
    event: raw.event,
    resource: resource(raw.resource, 'resource'),
    related: related.map((r, i) => resource(r, `related[${i}]`)),
    payload,
    follows,
  };
}

/** The UUID in a resource id of the given kind (`prefect.task-run.<uuid>`), if it is one. */
export function objectId(resourceId: string | undefined, kind: string): string | undefined {
  const prefix = `${kind}.`;
  return resourceId?.startsWith(prefix) ? coerceUuid(resourceId.slice(prefix.length)) : undefined;
}

/** The first related resource in a role (`flow-run`, `tag`, ...). */
export function relatedInRole(event: PrefectEvent, role: string): Resource | undefined {
  return event.related.find((r) => r['prefect.resource.role'] === role);
}
