import { EntityManager, MikroORM, RequestContext, TransactionContext } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bulkhead } from './bulkhead';

/**
 * The EntityManager forks of one request, each made the first time something asks for it. MikroORM's own
 * `RequestContext.create()` forks up front: an identity map, a unit of work and their helpers for every
 * request, which a plain read outside any transaction (a get by id, a filter) never touches.
 */
class ForksOnDemand extends Map<string, EntityManager> {
  /** Set while a fork is being built: its constructor asks for the context too, and must get itself. */
  private forking = false;

  constructor(
    private readonly root: EntityManager,
    /** Its statements are cancelled when the client goes away before the answer (sql-runner.ts). */
    readonly request?: IncomingMessage,
    readonly response?: ServerResponse,
    /** Set for heavy requests: their statements take a place in this bulkhead first. */
    readonly lane?: Bulkhead,
  ) {
    super();
  }

  override get(name: string): EntityManager | undefined {
    let fork = super.get(name);
    if (fork === undefined && name === this.root.name && !this.forking) {
      this.forking = true;
      try {
        fork = this.root.fork({ useContext: true, disableContextResolution: true });
      } finally {
        this.forking = false;
      }
      this.set(name, fork);
    }
    return fork;
  }

  /** The fork, if this request has made it. */
  peek(name: string): EntityManager | undefined {
    return super.get(name);
  }
}

const requestForks = new AsyncLocalStorage<ForksOnDemand>();

/**
 * MikroORM's `context` option (orm-options.ts): where an EntityManager finds the fork to work on. In a request
 * that is the request's; code that opens MikroORM's own RequestContext (scripts, tests) gets that one. Anywhere
 * else there is none, and MikroORM refuses the global EntityManager (allowGlobalContext is off).
 */
export function requestFork(name: string): EntityManager | undefined {
  return requestForks.getStore()?.get(name) ?? RequestContext.getEntityManager(name);
}

/** The heavy lane of the pool (bulkhead.ts) and which requests use it. */
export interface QueryLanes {
  heavy: Bulkhead;
  isHeavy(req: Request): boolean;
}

/**
 * The unit of work: everything after this middleware runs in the request's own context, so repositories and
 * `em.transactional()` use the request's fork (made on first use) and never the global EntityManager.
 */
export function unitOfWork(orm: MikroORM, lanes?: QueryLanes): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    requestForks.run(new ForksOnDemand(orm.em, req, res, lanes?.isHeavy(req) ? lanes.heavy : undefined), next);
}

/** The HTTP exchange and query lane of the request being served, if any. */
export function currentRequest():
  { request?: IncomingMessage; response?: ServerResponse; lane?: Bulkhead } | undefined {
  return requestForks.getStore();
}

/**
 * The transaction open around the caller, if any, without making the request's fork just to learn that there
 * is none. A fork used directly knows its own. For the global EntityManager (what repositories hold) it is the
 * one `em.transactional()` keeps in MikroORM's TransactionContext, else one begun on the request's fork
 * (`em.begin()`) or on the fork of a MikroORM RequestContext.
 */
export function openTransaction<T>(em: EntityManager): T | undefined {
  if (!em.global) return em.getTransactionContext<T>();
  const scoped =
    TransactionContext.getEntityManager(em.name) ??
    requestForks.getStore()?.peek(em.name) ??
    RequestContext.getEntityManager(em.name);
  return scoped?.getTransactionContext<T>();
}
