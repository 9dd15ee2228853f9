/**
 * The framework floor: the same trivial JSON route served by node:http, by Express 5 alone, and by
 * NestJS on Express (this app's stack), with no database. `npm run bench:floor` compares them, so
 * the point-query ratios of the main bench can be read against what the HTTP stack alone costs.
 *   ts-node -T bench/floor-server.ts <node|express|nest> <port>
 */
import 'reflect-metadata';
import http from 'node:http';
import express from 'express';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const BODY = {
  id: '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5',
  created: '2026-01-01T00:00:00.000000Z',
  name: 'flow',
  tags: ['a'],
  labels: {},
};

@Controller('flows')
class FloorController {
  @Get(':id')
  read(@Param('id') id: string) {
    return { ...BODY, id };
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const [kind, portArg] = process.argv.slice(2);
  const port = Number(portArg);
  if (kind === 'node') {
    http
      .createServer((req, res) => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ ...BODY, id: req.url?.split('/').pop() }));
      })
      .listen(port, '127.0.0.1');
  } else if (kind === 'express') {
    const app = express();
    app.set('etag', false);
    app.get('/api/flows/:id', (req, res) => {
      res.json({ ...BODY, id: req.params.id });
    });
    app.listen(port, '127.0.0.1');
  } else if (kind === 'nest') {
    const app = await NestFactory.create(FloorModule, { logger: false });
    app.setGlobalPrefix('api');
    app.getHttpAdapter().getInstance().set('etag', false);
    await app.listen(port, '127.0.0.1');
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
}

void main();
