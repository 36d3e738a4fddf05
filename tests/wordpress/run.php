<?php
// Drives the plugin inside the harness and prints the result (tests/wordpress/plugin.test.ts):
//   php run.php page '<options json>' '<caps json>' '<post content>'  -> the rendered page
//   php run.php save '<value>'                                         -> {"stored", "errors"} as JSON
//   php run.php settings '<options json>'                              -> the settings page HTML
//   php run.php uninstall '<options json>'                             -> the options left, as JSON
require __DIR__ . '/harness.php';
require __DIR__ . '/../../integrations/wordpress/booking-widget/booking-widget.php';

[$script, $command] = array_slice($argv, 0, 2) + array(null, null);
$GLOBALS['wp']['options'] = json_decode($argv[2] ?? '{}', true) ?: array();
do_action('init');

switch ($command) {
	case 'page':
		$GLOBALS['wp']['caps'] = json_decode($argv[3] ?? '[]', true) ?: array();
		$body = do_shortcode($argv[4] ?? '');
		echo "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>A WordPress page</title></head><body>\n";
		echo '<main class="entry-content">' . $body . "</main>\n";
		wp_print_footer_scripts();
		echo "</body></html>\n";
		break;
	case 'save':
		$GLOBALS['wp']['options'] = array('booking_widget_server_url' => 'https://previous.example');
		do_action('admin_init');
		update_option('booking_widget_server_url', $argv[2]);
		echo json_encode(array('stored' => get_option('booking_widget_server_url'), 'errors' => array_column($GLOBALS['wp']['errors'], 'message')));
		break;
	case 'settings':
		$GLOBALS['wp']['caps'] = array('manage_options');
		do_action('admin_init');
		do_action('admin_menu');
		call_user_func($GLOBALS['wp']['pages']['booking-widget']['callback']);
		break;
	case 'uninstall':
		define('WP_UNINSTALL_PLUGIN', 'booking-widget/booking-widget.php');
		require __DIR__ . '/../../integrations/wordpress/booking-widget/uninstall.php';
		echo json_encode((object) $GLOBALS['wp']['options']);
		break;
	default:
		fwrite(STDERR, "unknown command\n");
		exit(2);
}
