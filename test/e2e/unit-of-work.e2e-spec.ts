import { Controller, Get, Module, Param } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { InjectRepository, MikroOrmModule } from '@mikro-orm/nestjs';
import { FlowEntity } from '../../src/flows/flow.entity';
import { FlowRepository } from '../../src/flows/flows.repository';
import { startTestApp, TestContext } from '../support/test-app';

/** A test-only route that reports which EntityManager served the request. */
@Controller('__probe')
class ProbeController {
  constructor(
    private readonly em: EntityManager,
    @InjectRepository(FlowEntity) private readonly flows: FlowRepository,
  ) {}

  @Get('unit-of-work')
  async unitOfWork() {
    const fork = this.em.getContext();
    // Hold the request open so that concurrent requests overlap.
    await new Promise((r) => setTimeout(r, 100));
    return {
      forkId: fork.id,
      repositoryForkId: this.flows.getEntityManager().id,
      sameForkAfterAwait: this.em.getContext().id === fork.id,
    };
  }

  /** Writes a flow through the repository inside em.transactional, then fails: the write must roll back. */
  @Get('rolled-back/:name')
  async rolledBack(@Param('name') name: string) {
    const seenInside = await this.em
      .transactional(async () => {
        await this.flows.getOrCreate(name, [], null);
        const inside = await this.flows.findByName(name);
        throw Object.assign(new Error('roll back'), { inside: inside?.name ?? null });
      })
      .catch((e: { inside?: string | null }) => e.inside);
    return { seenInside, seenAfter: (await this.flows.findByName(name))?.name ?? null };
  }
}

@Module({ imports: [MikroOrmModule.forFeature([FlowEntity])], controllers: [ProbeController] })
class ProbeModule {}

describe('request-scoped unit of work', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp({}, [ProbeModule]);
  });
  afterAll(() => t.close());

  it('gives each of several concurrent requests its own EntityManager fork', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.http.get('/api/__probe/unit-of-work')));
    const bodies = responses.map((r) => r.body);
    // Outside any request, the injected EntityManager is the global one.
    const globalId = t.app.get(EntityManager).id;
    for (const b of bodies) {
      expect(b.forkId).not.toBe(globalId);
      expect(b.repositoryForkId).toBe(b.forkId);
      expect(b.sameForkAfterAwait).toBe(true);
    }
    expect(new Set(bodies.map((b) => b.forkId)).size).toBe(bodies.length);
  });

  it('forks only for requests that use the EntityManager: a plain read does not, a transaction does', async () => {
    const fork = jest.spyOn(t.app.get(MikroORM).em, 'fork');
    try {
      expect((await t.http.get(`/api/flows/${randomUUID()}`)).status).toBe(404);
      expect((await t.http.post('/api/flows/filter').send({})).status).toBe(200);
      expect(fork).not.toHaveBeenCalled();
      expect((await t.http.post('/api/work_pools/').send({ name: `uow-${randomUUID()}` })).status).toBe(201);
      expect(fork).toHaveBeenCalledTimes(1);
    } finally {
      fork.mockRestore();
    }
  });

  it('runs repository SQL inside em.transactional on its transaction: it sees its own write, and the write rolls back', async () => {
    const name = `tx-${randomUUID()}`;
    const res = await t.http.get(`/api/__probe/rolled-back/${name}`);
    expect(res.body).toEqual({ seenInside: name, seenAfter: null });
    expect((await t.sql.query('SELECT count(*)::int AS n FROM flow WHERE name = $1', [name])).rows[0].n).toBe(0);
  });

  it('keeps the global EntityManager out of reach (allowGlobalContext is off)', async () => {
    const em = t.app.get(EntityManager);
    await expect(em.getContext(false).find(FlowEntity, {})).rejects.toThrow(/global EntityManager/);
  });
});
