/** The pair most tests enroll: two time zones, two check-in times, two goals. */
export const ADA = {
  name: 'Ada',
  phone: '+12125550101',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
};

export const BEN = {
  name: 'Ben',
  phone: '+447911123456',
  timezone: 'Europe/London',
  checkInTime: '19:00',
  goal: 'run 3 km',
};
