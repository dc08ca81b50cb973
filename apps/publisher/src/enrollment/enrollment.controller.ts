import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { parseEnrollRequest, parseTokenRequest } from './enrollment-input';
import { type CreatedToken, type Enrollment, EnrollmentService } from './enrollment.service';

@Controller('api')
export class EnrollmentController {
  constructor(@Inject(EnrollmentService) private readonly enrollment: EnrollmentService) {}

  /** Admin: a token for `uses` enrollments within `expiresInSeconds`, labelling agents with zone/region. */
  @Post('enrollment-tokens')
  @UseGuards(AdminGuard)
  createToken(@Body() body: unknown): Promise<CreatedToken> {
    return this.enrollment.createToken(parseTokenRequest(body));
  }

  /** An agent trades a token for its id and tracker passkey. */
  @Post('enroll')
  @HttpCode(201)
  enroll(@Body() body: unknown): Promise<Enrollment> {
    return this.enrollment.enroll(parseEnrollRequest(body));
  }
}
