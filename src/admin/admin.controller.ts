import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Put,
  Query,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RequestValidationError } from '../prefect-compat/validation/pydantic-error';
import { ServerDefaultResultStorage, ServerDefaultResultStorageUpdate } from './admin.dto';

/**
 * What Prefect's client asks a server before and while it runs a flow, answered as Prefect's server answers
 * with the matching feature off: no result storage block configured, CSRF protection disabled.
 */
@Controller()
export class AdminController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('admin/version')
  @ApiTags('Admin')
  @ApiOperation({
    summary: 'Read Version',
    operationId: 'read_version_admin_version_get',
    description:
      'Returns the Prefect version number whose API this service implements (PREFECT_SERVER_VERSION). ' +
      "Prefect's client refuses a server of another major version.",
  })
  @ApiOkResponse({ schema: { type: 'string', example: '3.8.4.dev6' } })
  version(): string {
    return this.config.prefectVersion;
  }

  @Get('hello')
  @ApiTags('Root')
  @ApiOperation({ summary: 'Hello', operationId: 'hello_hello_get', description: 'Say hello!' })
  @ApiOkResponse({ schema: { type: 'string', example: '👋' } })
  hello(): string {
    return '👋';
  }

  @Get('admin/storage')
  @ApiTags('Admin')
  @ApiOperation({
    summary: 'Read Server Default Result Storage',
    operationId: 'read_server_default_result_storage_admin_storage_get',
    description: 'Get the configured server default result storage block: none here (there are no blocks).',
  })
  @ApiOkResponse({ type: ServerDefaultResultStorage })
  readStorage(): ServerDefaultResultStorage {
    return { default_result_storage_block_id: null };
  }

  @Put('admin/storage')
  @ApiTags('Admin')
  @ApiOperation({
    summary: 'Update Server Default Result Storage',
    operationId: 'update_server_default_result_storage_admin_storage_put',
    description: 'Set the server default result storage block. There are no blocks here, so every id is unknown.',
  })
  @ApiOkResponse({ description: "Prefect's answer once a block is set; never sent here, where no block exists" })
  @ApiNotFoundResponse({ description: 'The block document does not exist' })
  @ApiUnprocessableEntityResponse({ description: 'Validation Error' })
  updateStorage(@Body() body: ServerDefaultResultStorageUpdate): never {
    throw new NotFoundException({ detail: `Block document ${body.default_result_storage_block_id} not found.` });
  }

  @Delete('admin/storage')
  @HttpCode(204)
  @ApiTags('Admin')
  @ApiOperation({
    summary: 'Clear Server Default Result Storage',
    operationId: 'clear_server_default_result_storage_admin_storage_delete',
    description: 'Clear the configured server default result storage block (there is none to clear).',
  })
  @ApiNoContentResponse({ description: 'Successful Response' })
  clearStorage(): void {}

  @Get('csrf-token')
  @ApiTags('Root')
  @ApiQuery({ name: 'client', type: String, required: true, description: 'The client to create a CSRF token for' })
  @ApiOperation({
    summary: 'Create Csrf Token',
    operationId: 'create_csrf_token_csrf_token_get',
    description:
      'CSRF protection is off here, as by default in Prefect: always 422 "CSRF protection is disabled.", which ' +
      "tells Prefect's client to stop asking and send no CSRF headers.",
  })
  @ApiOkResponse({ description: "Prefect's answer with CSRF protection on; never sent here, where it is off" })
  @ApiUnprocessableEntityResponse({ description: 'CSRF protection is disabled.' })
  csrfToken(@Query('client') client?: string | string[]): never {
    if (client === undefined)
      throw new RequestValidationError(
        [{ type: 'missing', loc: ['query', 'client'], msg: 'Field required', input: null }],
        null,
      );
    // Prefect's answer when CSRF protection is disabled: a plain `detail`, not a validation error.
    throw new UnprocessableEntityException({ detail: 'CSRF protection is disabled.' });
  }
}
