import { EntityManager, MikroORM, RequestContext, TransactionContext } from '@mikro-orm/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The EntityManager forks of one request, each made the first time something asks for it. MikroORM's own
 * `RequestContext.create()` forks up front: an identity map, a unit of work and their helpers for every
 * request, which a plain read outside any transaction (a get by id, a filter) never touches.
 */
class ForksOnDemand extends Map<string, EntityManager> {
  /** Set while a fork is being built: its constructor asks for the context too, and must get itself. */
  private forking = false;

  constructor(private readonly root: EntityManager) {
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

/**
 * The unit of work: everything after this middleware runs in the request's own context, so repositories and
 * `em.transactional()` use the request's fork (made on first use) and never the global EntityManager.
 */
export function unitOfWork(orm: MikroORM): RequestHandler {
  return (_req: Request, _res: Response, next: NextFunction) => requestForks.run(new ForksOnDemand(orm.em), next);
}

/**
 * The transaction `em.transactional()` has open around the caller, if any. MikroORM keeps it in its
 * TransactionContext; asking the EntityManager instead would make the request's fork just to learn that
 * there is none.
 */
export function openTransaction<T>(em: EntityManager): T | undefined {
  return TransactionContext.getEntityManager(em.name)?.getTransactionContext<T>();
}
