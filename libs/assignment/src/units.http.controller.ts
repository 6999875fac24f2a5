import type { Actor } from '@banli/domain';
import { UnitsDirectory } from '@banli/application';
import { CurrentActor, HttpProblem, ID_PATTERN, requireRole } from '@banli/platform';
import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnitDto } from './proposal.dto';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsHttpController {
  constructor(private readonly units: UnitsDirectory) {}

  @Get()
  @ApiOperation({ summary: 'The units directory' })
  list() {
    return this.units.list();
  }

  @Put(':unitId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register or rename a unit (admin, office)' })
  async put(@Param('unitId') unitId: string, @Body() body: UnitDto, @CurrentActor() actor: Actor) {
    requireRole(actor, 'admin', 'office');
    if (!ID_PATTERN.test(unitId)) {
      throw new HttpProblem(400, 'VALIDATION_FAILED', 'A unit id is letters, digits, dot, dash or underscore (≤128)', { field: 'unitId' });
    }
    const { unit } = await this.units.put({ unitId, name: body.name }, actor);
    return unit;
  }
}
